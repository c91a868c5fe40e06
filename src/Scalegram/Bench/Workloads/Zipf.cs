namespace Scalegram.Bench.Workloads;

/// <summary>
/// Zipf-like popularity (exponent 1) over a list that may grow: rank k is picked with
/// probability ~ 1/(k+1), via the continuous inverse CDF P(rank &lt; k) = ln(k+1)/ln(n+1), in O(1).
/// Rank 0 is the most popular item.
/// </summary>
internal static class Zipf
{
    public static int Rank(Random random, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var rank = (int)Math.Floor(Math.Pow(count + 1, random.NextDouble())) - 1;
        return Math.Clamp(rank, 0, count - 1);
    }
}
