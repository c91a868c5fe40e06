using Microsoft.Extensions.Options;
using Scalegram.Data;
using Scalegram.Data.Postgres;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Data.Replication;

/// <summary>Bad replication settings fail at start-up with a message naming the key; good ones, old and new shapes, pass.</summary>
public sealed class ReplicationOptionsTests
{
    private const string Primary = "Host=127.0.0.1;Port=5432;Username=postgres;Database=x";

    [Theory]
    [InlineData("--Data:Postgres:MaxReplicaLag=00:00:00", "Data:Postgres:MaxReplicaLag")]
    [InlineData("--Data:Postgres:ReplicaPollInterval=00:10:00", "Data:Postgres:ReplicaPollInterval")]
    [InlineData("--Data:Postgres:Stores:0:Replicas:0=Host=127.0.0.1:1,127.0.0.1:2;Database=x", "Data:Postgres:Stores:0:Replicas:0")]
    [InlineData("--Data:Postgres:Stores:0:Replicas:0=Nonsense Key=1", "Data:Postgres:Stores:0:Replicas:0")]
    public async Task A_bad_replication_setting_stops_the_start_naming_its_key(string setting, string key)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestServer.StartAsync(NodeRole.All, null, ["--Data:Engine=Postgres", $"--Data:Postgres:Stores:0:Primary={Primary}", setting]));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_and_multi_host_configurations_are_valid()
    {
        var plain = new PostgresOptions { Stores = [new PostgresStoreOptions { Primary = Primary }] };
        var oneReplica = new PostgresOptions { Stores = [new PostgresStoreOptions { Primary = Primary, Replicas = [Primary] }] };
        var multi = new PostgresOptions
        {
            Stores = [new PostgresStoreOptions
            {
                Primary = "Host=127.0.0.1:5432,127.0.0.1:5433,127.0.0.1:5434;Username=postgres;Database=x;Target Session Attributes=read-write",
                Replicas = ["Host=127.0.0.1;Port=5432;Database=x", "Host=127.0.0.1;Port=5433;Database=x", "Host=127.0.0.1;Port=5434;Database=x"],
            }],
        };
        Assert.Empty(plain.Problems());
        Assert.Empty(oneReplica.Problems());
        Assert.Empty(multi.Problems());
        Assert.Empty(new DataOptions { Engine = DataEngine.Postgres, Postgres = multi }.Problems());
    }
}
