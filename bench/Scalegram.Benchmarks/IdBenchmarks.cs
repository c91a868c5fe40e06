using BenchmarkDotNet.Attributes;
using Scalegram.Data.Ids;

namespace Scalegram.Benchmarks;

/// <summary>Minting and reading IDs: every write mints one, every routed read decodes one.</summary>
[MemoryDiagnoser]
public class IdBenchmarks
{
    private readonly IdGenerator _ids = new(TimeProvider.System);
    private long _id;

    /// <summary>A node lease that never ends (a node takes one from node_leases at start-up).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _ids.Start(new NodeLease(0, "bench", 0, ScalegramId.MaxMillis));
        _id = _ids.Next(1234);
    }

    [Benchmark]
    public long Next() => _ids.Next(1234);

    [Benchmark]
    public int ShardOf() => ScalegramId.ShardOf(_id);
}
