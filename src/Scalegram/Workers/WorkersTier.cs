using Scalegram.Messaging;
using Scalegram.Workers.PhotoPipeline;

namespace Scalegram.Workers;

/// <summary>Registers every job handler and the worker loop that runs them (worker and all roles).</summary>
internal static class WorkersTier
{
    public static IServiceCollection AddWorkers(this IServiceCollection services)
    {
        services.AddSingleton<IJobHandler, ProcessPhotoHandler>();
        services.AddSingleton<IJobHandler, PurgePhotoHandler>();
        services.AddSingleton<IJobHandler, FeedFanOut>();
        services.AddSingleton<IJobHandler, TimelineBackfill>();
        services.AddSingleton<IJobHandler, FollowMirror>();
        services.AddSingleton<AccountEraser>();
        services.AddSingleton<IJobHandler, AccountDeletionHandler>();
        services.AddJobWorker();
        return services;
    }
}
