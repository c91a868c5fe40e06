namespace Scalegram.AppHost;

/// <summary>Every port a topology uses, fixed and on 127.0.0.1, so the README and scripts can name them.</summary>
public static class Ports
{
    /// <summary>Web node i answers at 8080 + i.</summary>
    public const int FirstWeb = 8080;

    /// <summary>Worker i serves /healthz and /metrics at 8180 + i.</summary>
    public const int FirstWorker = 8180;

    /// <summary>Prometheus, scraping exactly the processes the topology started.</summary>
    public const int Prometheus = 9090;

    public const int Postgres = 15432;
    public const int Redis = 16379;
    public const int RabbitMqAmqp = 15672;
    public const int RabbitMqDist = 15673;
    public const int RabbitMqEpmd = 15674;
}
