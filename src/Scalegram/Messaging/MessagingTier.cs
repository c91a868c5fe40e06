using Microsoft.Extensions.Options;
using Scalegram.Messaging.RabbitMq;

namespace Scalegram.Messaging;

/// <summary>
/// Registers the queue: the outbox every node writes to, the transport that carries jobs
/// (embedded: the jobs table itself; RabbitMq: a relay on every node into quorum queues), and
/// (worker role) the loop that runs jobs.
/// </summary>
internal static class MessagingTier
{
    public static IServiceCollection AddMessagingTier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection(MessagingOptions.Section))
            .PostConfigure(o => o.Engine = MessagingOptions.EngineIn(configuration))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>();
        services.AddSingleton<QueuePlan>();
        services.AddSingleton<QueueThroughput>();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<QueueGauges>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueGauges>());
        services.AddSingleton<Outbox>();
        services.AddSingleton<EmbeddedQueue>();
        if (MessagingOptions.EngineIn(configuration) == MessagingEngine.RabbitMq)
        {
            services.AddOptions<RabbitMqOptions>().Bind(configuration.GetSection(RabbitMqOptions.Section)).ValidateDataAnnotations()
                .Validate(o => o.UriProblem() is null, "Messaging:RabbitMq:Uri is required when Messaging:Engine is RabbitMq and must hold amqp:// URIs (e.g. amqp://guest:guest@127.0.0.1:5672/).")
                .ValidateOnStart();
            services.AddSingleton<RabbitMqConnection>();
            services.AddSingleton<RabbitMqPublisher>();
            services.AddSingleton<OutboxRows>();
            services.AddSingleton<IQueueStatsSource, RabbitMqQueueStats>();
            services.AddHostedService<OutboxRelay>();
        }
        else
        {
            services.AddSingleton<IQueueStatsSource>(sp => sp.GetRequiredService<EmbeddedQueue>());
        }

        return services;
    }

    /// <summary>Runs jobs in this process (the worker role), from whichever transport AddMessaging chose.</summary>
    public static IServiceCollection AddJobWorker(this IServiceCollection services)
    {
        services.AddSingleton<JobRunner>();
        if (services.Any(d => d.ServiceType == typeof(RabbitMqConnection)))
        {
            services.AddHostedService<RabbitMqWorker>();
        }
        else
        {
            services.AddHostedService<JobWorker>();
        }

        return services;
    }
}
