namespace Scalegram.Tests.Infrastructure;

/// <summary>
/// Tests that start many processes or saturate the CPU (concurrent minting, load-balanced nodes, 49-megapixel
/// renders, kill -9 of real nodes) run alone, after the parallel ones: on two cores they would otherwise
/// starve the other classes' nodes and make unrelated waits time out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyCollection
{
    public const string Name = "heavy";
}
