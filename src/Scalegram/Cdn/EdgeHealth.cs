using Microsoft.Extensions.Options;

namespace Scalegram.Cdn;

/// <summary>
/// Checks the edge in the background so pages never point at a dead one: media URLs use the edge
/// only while it answers its health path, and fall back to the origin after
/// <see cref="CdnOptions.HealthFailures"/> failed checks. It starts down: until the first check
/// passes, the origin (which always works) serves.
/// </summary>
internal sealed class EdgeHealth : BackgroundService
{
    private readonly CdnOptions _options;
    private readonly ILogger<EdgeHealth> _logger;
    private readonly HttpClient _http;
    private readonly Uri? _probe;
    private volatile bool _up;

    public EdgeHealth(IOptions<CdnOptions> options, ILogger<EdgeHealth> logger)
    {
        _options = options.Value;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), UseCookies = false, AllowAutoRedirect = false })
        {
            Timeout = _options.HealthTimeout,
        };
        if (!string.IsNullOrEmpty(_options.BaseUrl))
        {
            _probe = new Uri(_options.BaseUrl.TrimEnd('/') + _options.HealthPath);
        }
    }

    /// <summary>True when an edge is configured and its last checks passed.</summary>
    public bool IsUp => _up;

    /// <summary>Whether an edge is configured at all.</summary>
    public bool Configured => _probe is not null;

    /// <summary>One check now; also what the background loop runs.</summary>
    public async Task<bool> CheckAsync(CancellationToken ct)
    {
        if (_probe is null)
        {
            return false;
        }

        try
        {
            using var response = await _http.GetAsync(_probe, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_probe is null)
        {
            return;
        }

        var failures = 0;
        using var timer = new PeriodicTimer(_options.HealthInterval);
        do
        {
            if (await CheckAsync(stoppingToken))
            {
                failures = 0;
                if (!_up)
                {
                    _up = true;
                    Log.EdgeUp(_logger, _probe.GetLeftPart(UriPartial.Authority));
                }
            }
            else if (++failures >= _options.HealthFailures && _up)
            {
                _up = false;
                Log.EdgeDown(_logger, _probe.GetLeftPart(UriPartial.Authority), failures, null);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
