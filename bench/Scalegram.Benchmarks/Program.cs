using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Scalegram.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Scalegram.Benchmarks -- imaging render --dir DIR (see bench/imaging/run.sh)
if (args.FirstOrDefault() == "imaging")
{
    return Scalegram.Benchmarks.Imaging.ImagingBench.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Scalegram.Benchmarks.IdBenchmarks).Assembly).Run(args);
return 0;
