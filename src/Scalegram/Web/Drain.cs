using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Scalegram.Web;

/// <summary>
/// Graceful drain on SIGTERM (or any host stop): readiness fails at once, the node keeps serving for the drain
/// delay so that load balancers see it and stop sending, then the host stops the server, which refuses new
/// connections and lets the requests in flight finish (within HostOptions.ShutdownTimeout).
/// The host runs StoppingAsync of every lifecycle service before it stops any hosted service (Kestrel included).
/// </summary>
internal sealed class Drain(IOptions<DrainOptions> options, TimeProvider time, ILogger<Drain> logger) : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _draining;

    public bool Draining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var delay = options.Value.Delay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        Log.Draining(logger, delay);
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout cut the drain short: stop now.
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("Draining: this node is shutting down.") : HealthCheckResult.Healthy());

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
