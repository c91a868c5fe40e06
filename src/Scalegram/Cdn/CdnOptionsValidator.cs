using Microsoft.Extensions.Options;

namespace Scalegram.Cdn;

/// <summary>Checks the CDN settings at start-up, naming the key of each bad one (Cdn:PurgeUrls:N, ...).</summary>
internal sealed class CdnOptionsValidator : IValidateOptions<CdnOptions>
{
    public ValidateOptionsResult Validate(string? name, CdnOptions options)
    {
        var problems = new List<string>();
        if (!string.IsNullOrEmpty(options.BaseUrl) && !IsHttpUrl(options.BaseUrl))
        {
            problems.Add($"Cdn:BaseUrl must be an absolute http:// or https:// URL, e.g. http://127.0.0.1:18201 (got '{options.BaseUrl}').");
        }

        for (var i = 0; i < options.PurgeUrls.Count; i++)
        {
            if (!IsHttpUrl(options.PurgeUrls[i]))
            {
                problems.Add($"Cdn:PurgeUrls:{i} must be an absolute http:// or https:// URL of an edge's admin address, e.g. http://127.0.0.1:18201 (got '{options.PurgeUrls[i]}').");
            }
        }

        if (!options.HealthPath.StartsWith('/'))
        {
            problems.Add($"Cdn:HealthPath must start with '/' (got '{options.HealthPath}').");
        }

        Range(problems, "Cdn:HealthInterval", options.HealthInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        Range(problems, "Cdn:HealthTimeout", options.HealthTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30));
        Range(problems, "Cdn:PurgeTimeout", options.PurgeTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        Range(problems, "Cdn:StatsInterval", options.StatsInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        if (options.HealthFailures is < 1 or > 100)
        {
            problems.Add($"Cdn:HealthFailures must be between 1 and 100 (got {options.HealthFailures}).");
        }

        for (var i = 0; i < options.VarnishStatDirectories.Count; i++)
        {
            if (!Path.IsPathFullyQualified(options.VarnishStatDirectories[i]))
            {
                problems.Add($"Cdn:VarnishStatDirectories:{i} must be an absolute directory, the edge's varnishd -n (got '{options.VarnishStatDirectories[i]}').");
            }
        }

        Range(problems, "Cdn:SignedUrlLifetime", options.SignedUrlLifetime, TimeSpan.FromSeconds(10), TimeSpan.FromHours(24));
        if (!string.IsNullOrEmpty(options.SigningKey) && MediaSigningKey.Parse(options.SigningKey) is null)
        {
            problems.Add("Cdn:SigningKey must be base64 of at least 32 random bytes, e.g. the output of `openssl rand -base64 32` (the value is not shown).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    private static void Range(List<string> problems, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{key} must be between {min} and {max} (got {value}).");
        }
    }
}
