using Scalegram.Messaging;
using Scalegram.Workers.PhotoPipeline;

namespace Scalegram.Workers;

/// <summary>Registers every job handler and the worker loop that runs them.</summary>
public static class WorkersTier
{
    public static IServiceCollection AddWorkers(this IServiceCollection services)
    {
        NetVips.Cache.Max = 0;
        services.AddSingleton<IJobHandler, ProcessPhotoHandler>();
        services.AddSingleton<IJobHandler, PurgePhotoHandler>();
        services.AddSingleton<IJobHandler, FeedFanOut>();
        services.AddSingleton<IJobHandler, TimelineBackfill>();
        services.AddSingleton<IJobHandler, FollowMirror>();
        services.AddJobWorker();
        return services;
    }
}
