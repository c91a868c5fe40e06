using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Scalegram.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Scalegram.Benchmarks -- formats   (bytes per variant: JPEG, WebP, AVIF)
if (args is ["formats"])
{
    Scalegram.Benchmarks.FormatSizes.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Scalegram.Benchmarks.IdBenchmarks).Assembly).Run(args);
