using Microsoft.Extensions.Options;

namespace Scalegram.LoadBalancing;

/// <summary>Checks the destinations list, naming the key of each bad entry (LoadBalancing:Destinations:N).</summary>
internal sealed class LoadBalancingOptionsValidator : IValidateOptions<LoadBalancingOptions>
{
    public ValidateOptionsResult Validate(string? name, LoadBalancingOptions options)
    {
        var problems = new List<string>();
        if (options.Destinations.Count == 0)
        {
            problems.Add("LoadBalancing:Destinations must list at least one web node, e.g. --LoadBalancing:Destinations:0=http://127.0.0.1:8081.");
        }

        for (var i = 0; i < options.Destinations.Count; i++)
        {
            var text = options.Destinations[i];
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.PathAndQuery != "/" || !string.IsNullOrEmpty(uri.Fragment))
            {
                problems.Add($"LoadBalancing:Destinations:{i} must be an absolute http:// or https:// URL with no path, e.g. http://127.0.0.1:8081 (got '{text}').");
            }
        }

        var duplicates = options.Destinations.GroupBy(d => d.TrimEnd('/'), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            problems.Add($"LoadBalancing:Destinations lists {string.Join(", ", duplicates)} more than once.");
        }

        if (!Enum.IsDefined(options.Policy))
        {
            problems.Add($"LoadBalancing:Policy must be one of {string.Join(", ", Enum.GetNames<LoadBalancingPolicy>())}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
