using Scalegram.Messaging;

namespace Scalegram.Jobs;

/// <summary>Gives the messaging tier the product's job catalogue (and the handler of cdn.purge, which lives here).</summary>
internal static class JobsRegistration
{
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddSingleton(new JobCatalog(JobTypes.All));
        services.AddSingleton<IJobHandler, EdgePurgeHandler>();
        services.AddSingleton<IJobHandler, PublicMediaPurgeHandler>();
        return services;
    }
}
