using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Scalegram.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Scalegram.Benchmarks.IdBenchmarks).Assembly).Run(args);
