using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Scalegram.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Scalegram.Benchmarks -- zipf [keys] [requests] [svg]   (cache hit ratios; bench/cache/run.sh)
if (args is ["zipf", ..])
{
    return Scalegram.Benchmarks.ZipfCacheBench.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Scalegram.Benchmarks.IdBenchmarks).Assembly).Run(args);
return 0;
