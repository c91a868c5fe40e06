using BenchmarkDotNet.Attributes;
using Scalegram.Data.Ids;

namespace Scalegram.Benchmarks;

/// <summary>Minting and reading IDs: every write mints one, every routed read decodes one.</summary>
[MemoryDiagnoser]
public class IdBenchmarks
{
    private readonly IdGenerator _ids = new(TimeProvider.System);
    private long _id;

    [GlobalSetup]
    public void Setup() => _id = _ids.Next(1234);

    [Benchmark]
    public long Next() => _ids.Next(1234);

    [Benchmark]
    public int ShardOf() => ScalegramId.ShardOf(_id);
}
