namespace Scalegram.Messaging;

/// <summary>Registers the queue: the outbox every node writes to, and (worker role) the loop that runs jobs.</summary>
public static class MessagingTier
{
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection(MessagingOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Transport == "Embedded", "Messaging:Transport 'RabbitMq' is not available in this build; use Embedded.")
            .ValidateOnStart();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<EmbeddedQueue>();
        return services;
    }

    /// <summary>Runs jobs in this process (the worker role).</summary>
    public static IServiceCollection AddJobWorker(this IServiceCollection services)
    {
        services.AddHostedService<JobWorker>();
        return services;
    }
}
