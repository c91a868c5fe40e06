namespace Scalegram.Roles;

/// <summary>What a process runs: the web tier, the workers, both (the embedded default), or the load balancer. What each gets is in <see cref="RoleTable"/>.</summary>
public enum NodeRole
{
    All,
    Web,
    Worker,

    /// <summary>The load balancer in front of web nodes: no database, cache or queue.</summary>
    Lb,
}

/// <summary>Parses --role values.</summary>
internal static class NodeRoles
{
    public static bool TryParse(string? text, out NodeRole role)
    {
        var match = RoleTable.Parts.Keys.Where(r => string.Equals(r.ToString(), text ?? "all", StringComparison.OrdinalIgnoreCase)).ToList();
        role = match.FirstOrDefault();
        return match.Count == 1;
    }

    /// <summary>The names --role accepts, for help and error messages.</summary>
    public static string Names => string.Join(", ", RoleTable.Parts.Keys.Select(r => r.ToString().ToLowerInvariant()));
}
