using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scalegram.Data.Ids;

/// <summary>
/// Holds this process's node ID: takes one before the node serves (start-up fails if none frees up in
/// time), renews it every third of the lease in the background, takes another if it was lost, and
/// gives it back on a graceful stop. A node that cannot renew stops minting at its fence.
/// </summary>
internal sealed class NodeLeaseKeeper(NodeLeaseStore store, IdGenerator ids, IOptions<DataOptions> options, TimeProvider time, ILogger<NodeLeaseKeeper> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _holderName = $"{Environment.MachineName}/{Environment.ProcessId}";
    private Task _renewing = Task.CompletedTask;
    private NodeLease? _lease;

    private IdOptions Settings => options.Value.Ids;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _lease = await TakeAsync(time.GetUtcNow() + Settings.AcquireTimeout, cancellationToken);
        _renewing = RenewAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _renewing;
        if (_lease is not { } lease || ids.Stop() is not { } last)
        {
            return;
        }

        try
        {
            await store.ReleaseAsync(lease, last, cancellationToken);
            Log.NodeLeaseReleased(logger, lease.NodeId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // It expires on its own after one lease.
            Log.NodeLeaseReleaseFailed(logger, lease.NodeId, e);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task<NodeLease> TakeAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        var waiting = false;
        while (true)
        {
            var holder = Guid.NewGuid().ToString("N");
            var clock = ids.ClockMillis;
            var fence = clock + (long)Settings.Lease.TotalMilliseconds;
            if (await store.TryTakeAsync(holder, _holderName, clock, fence, Settings.Lease, ct) is { } node)
            {
                // The row was free only if its fence is before `clock`, so minting from `clock` on is after every earlier holder's IDs.
                var lease = new NodeLease(node, holder, clock, fence);
                ids.Start(lease);
                Log.NodeLeaseTaken(logger, node, store.Describe, Settings.Lease);
                return lease;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new InvalidOperationException(
                    $"All {ScalegramId.MaxNodes} node IDs are held by live processes (table node_leases on {store.Describe}); "
                    + $"a process can mint IDs only under one. Stop a process, or wait one Data:Ids:Lease ({Settings.Lease}) for a killed one's to expire.");
            }

            if (!waiting)
            {
                Log.NodeLeaseWaiting(logger, ScalegramId.MaxNodes);
                waiting = true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, ct);
        }
    }

    private async Task RenewAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Settings.RenewEvery, time, ct);
                var lease = _lease!;
                var fence = ids.ClockMillis + (long)Settings.Lease.TotalMilliseconds;
                if (await store.RenewAsync(lease, fence, Settings.Lease, ct))
                {
                    ids.Extend(lease.Holder, fence);
                    continue;
                }

                // Another process took the node ID (this one could not renew for a whole lease): its
                // IDs come after our fence, so ours stay unique; take a fresh node ID and go on.
                Log.NodeLeaseLost(logger, lease.NodeId);
                ids.Stop();
                _lease = await TakeAsync(DateTimeOffset.MaxValue, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The database did not answer: try again at the next beat; minting stops at the fence meanwhile.
                Log.NodeLeaseRenewFailed(logger, _lease?.NodeId ?? -1, e);
            }
        }
    }
}
