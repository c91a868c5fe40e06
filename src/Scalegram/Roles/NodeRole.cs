namespace Scalegram.Roles;

/// <summary>What a process runs: the web tier, the workers, or both (the embedded default).</summary>
[Flags]
public enum NodeRole
{
    Web = 1,
    Worker = 2,
    All = Web | Worker,
}

/// <summary>Parses --role values.</summary>
public static class NodeRoles
{
    public static bool TryParse(string? text, out NodeRole role)
    {
        role = (text ?? "all").ToLowerInvariant() switch
        {
            "all" => NodeRole.All,
            "web" => NodeRole.Web,
            "worker" => NodeRole.Worker,
            _ => 0,
        };
        return role != 0;
    }
}
