using System.ComponentModel.DataAnnotations;

namespace Scalegram.Data;

/// <summary>The database tier's settings (section "Data").</summary>
internal sealed class DataOptions : IValidatableObject
{
    public const string Section = "Data";

    /// <summary>Sqlite (embedded, the default) or Postgres.</summary>
    [EnumDataType(typeof(DataEngine), ErrorMessage = "Data:Engine must be Sqlite or Postgres.")]
    public DataEngine Engine { get; set; } = DataEngine.Sqlite;

    /// <summary>Where the embedded engines keep their files.</summary>
    [Required(ErrorMessage = "Data:Directory is required.")]
    public string Directory { get; set; } = "data";

    /// <summary>How many physical SQLite files the logical shards are spread over.</summary>
    [Range(1, 64, ErrorMessage = "Data:SqliteStores must be between 1 and 64.")]
    public int SqliteStores { get; set; } = 1;

    /// <summary>The PostgreSQL stores, used when Engine is Postgres (Data:Postgres:Stores:N:Primary, :Replicas:M; MaxReplicaLag, ReplicaPollInterval).</summary>
    public Postgres.PostgresOptions Postgres { get; set; } = new();

    /// <summary>Node-ID leases that keep IDs unique across processes (Data:Ids:Lease, :AcquireTimeout).</summary>
    public Ids.IdOptions Ids { get; set; } = new();

    /// <summary>Apply pending migrations at start-up (otherwise run `scalegram migrate`).</summary>
    public bool MigrateOnStart { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Problems().Select(p => new ValidationResult(p));

    /// <summary>Checks what attributes cannot: a Postgres engine needs a primary for every store; lease timings must make sense.</summary>
    public IEnumerable<string> Problems()
    {
        if (Ids.Lease < TimeSpan.FromSeconds(1) || Ids.Lease > TimeSpan.FromHours(1))
        {
            yield return "Data:Ids:Lease must be between 00:00:01 and 01:00:00.";
        }

        if (Ids.AcquireTimeout < TimeSpan.Zero)
        {
            yield return "Data:Ids:AcquireTimeout must not be negative.";
        }

        if (Engine != DataEngine.Postgres)
        {
            yield break;
        }

        if (Postgres.Stores.Count == 0)
        {
            yield return "Data:Postgres:Stores:0:Primary is required when Data:Engine is Postgres.";
        }

        foreach (var problem in Postgres.Problems())
        {
            yield return problem;
        }
    }
}
