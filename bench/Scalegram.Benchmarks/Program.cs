using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Scalegram.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Scalegram.Benchmarks -- formats   (bytes per variant: JPEG, WebP, AVIF)
if (args is ["formats"])
{
    Scalegram.Benchmarks.FormatSizes.Run();
    return 0;
}

// dotnet run -c Release --project bench/Scalegram.Benchmarks -- placeholder   (the upload-time placeholder's cost per upload)
if (args is ["placeholder"])
{
    Scalegram.Benchmarks.UploadPlaceholderBench.Run();
    return 0;
}

// dotnet run -c Release --project bench/Scalegram.Benchmarks -- imaging render --dir DIR (see bench/imaging/run.sh)
if (args.FirstOrDefault() == "imaging")
{
    return Scalegram.Benchmarks.Imaging.ImagingBench.Run(args[1..]);
}

// dotnet run -c Release --project bench/Scalegram.Benchmarks -- zipf [keys] [requests] [svg]   (cache hit ratios; bench/cache/run.sh)
if (args is ["zipf", ..])
{
    return Scalegram.Benchmarks.ZipfCacheBench.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Scalegram.Benchmarks.IdBenchmarks).Assembly).Run(args);
return 0;
