using Microsoft.Extensions.Options;

namespace Scalegram.Cdn;

/// <summary>
/// Removes media from every edge (Cdn:PurgeUrls): a Varnish PURGE per URL. It throws when any edge
/// did not confirm, so the job that called it is retried with the queue's backoff; purging twice is harmless.
/// </summary>
internal sealed class EdgePurger : IDisposable
{
    private static readonly HttpMethod Purge = new("PURGE");
    private static readonly HttpMethod Ban = new("BAN");
    private readonly CdnOptions _options;
    private readonly CdnMetrics _metrics;
    private readonly ILogger<EdgePurger> _logger;
    private readonly HttpClient _http;

    public EdgePurger(IOptions<CdnOptions> options, CdnMetrics metrics, ILogger<EdgePurger> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), UseCookies = false, AllowAutoRedirect = false })
        {
            Timeout = _options.PurgeTimeout,
        };
    }

    /// <summary>Purges each media key's URL from every edge; throws if any purge failed (after trying them all).</summary>
    public async Task PurgeMediaAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        var paths = keys.Select(MediaUrls.OriginFor).ToList();
        var failures = new List<string>();
        foreach (var edge in _options.PurgeUrls)
        {
            var edgeBase = edge.TrimEnd('/');
            foreach (var path in paths)
            {
                if (!await PurgeOneAsync(edgeBase, path, ct))
                {
                    failures.Add(edgeBase + path);
                }
            }
        }

        if (failures.Count > 0)
        {
            throw new HttpRequestException($"The edge did not confirm the purge of {string.Join(", ", failures)}.");
        }
    }

    /// <summary>
    /// Bans every signed (private) copy of a photo's media from every edge, whatever its expiry and
    /// signature (those URLs cannot be listed); throws if any edge did not confirm.
    /// </summary>
    public async Task BanSignedAsync(long photoId, CancellationToken ct)
    {
        var failures = new List<string>();
        foreach (var edge in _options.PurgeUrls)
        {
            var edgeBase = edge.TrimEnd('/');
            try
            {
                using var request = new HttpRequestMessage(Ban, edgeBase + "/");
                request.Headers.Add("X-Ban-Signed-Photo", photoId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                using var response = await _http.SendAsync(request, ct);
                _metrics.Purge(edgeBase, sent: response.IsSuccessStatusCode);
                if (!response.IsSuccessStatusCode)
                {
                    Log.PurgeFailed(_logger, $"signed media of photo {photoId}", edgeBase, new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}"));
                    failures.Add(edgeBase);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _metrics.Purge(edgeBase, sent: false);
                Log.PurgeFailed(_logger, $"signed media of photo {photoId}", edgeBase, e);
                failures.Add(edgeBase);
            }
        }

        if (failures.Count > 0)
        {
            throw new HttpRequestException($"The edges {string.Join(", ", failures)} did not confirm the ban of photo {photoId}'s signed media.");
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<bool> PurgeOneAsync(string edge, string path, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(Purge, edge + path);
            using var response = await _http.SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
            {
                _metrics.Purge(edge, sent: true);
                return true;
            }

            _metrics.Purge(edge, sent: false);
            Log.PurgeFailed(_logger, path, edge, new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}"));
            return false;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _metrics.Purge(edge, sent: false);
            Log.PurgeFailed(_logger, path, edge, e);
            return false;
        }
    }
}
