using System.Diagnostics.Metrics;
using Scalegram.Observability;
using Scalegram.Web;

namespace Scalegram.Web;

/// <summary>
/// Daily active users as a cheap gauge: the distinct signed-in users this node served since
/// midnight UTC (one set of IDs, reset each day). Per node: behind a load balancer take the
/// analytics store's figure; summing nodes counts a user once per node they reached.
/// </summary>
internal sealed class ActiveUsers
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private HashSet<long> _today = [];
    private DateOnly _day;

    public ActiveUsers(ScalegramMetrics metrics, TimeProvider time)
    {
        _time = time;
        _day = Today();
        metrics.Meter.CreateObservableGauge("scalegram.business.daily_active_users", () => (long)Count, "{user}", "Distinct signed-in users this node served today (UTC).");
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                Roll();
                return _today.Count;
            }
        }
    }

    public void Seen(long userId)
    {
        lock (_gate)
        {
            Roll();
            _today.Add(userId);
        }
    }

    private void Roll()
    {
        var today = Today();
        if (today != _day)
        {
            _day = today;
            _today = [];
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    /// <summary>Notes the signed-in user of each request; runs after authentication.</summary>
    public sealed class Middleware(RequestDelegate next, ActiveUsers users)
    {
        public Task InvokeAsync(HttpContext context)
        {
            if (CurrentUser.IdOf(context.User) is { } id)
            {
                users.Seen(id);
            }

            return next(context);
        }
    }
}
