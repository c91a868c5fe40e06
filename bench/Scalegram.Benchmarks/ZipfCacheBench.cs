using System.Globalization;
using Microsoft.Extensions.Caching.Memory;
using Scalegram.Observability.Charts;

namespace Scalegram.Benchmarks;

/// <summary>
/// Cache hit ratio on a Zipf(s) read workload over N keys, against cache size, for the eviction policies that
/// matter: the L1 as shipped (MemoryCache with SizeLimit), exact LRU, LRU with TinyLFU admission (what an
/// allkeys-lfu Redis approximates), the static top-k optimum, and the two-level tier (L1 at 10 % of the keys in
/// front of a Redis of the given size evicting by frequency). Prints a table and writes an SVG chart.
/// dotnet run -c Release --project bench/Scalegram.Benchmarks -- zipf [keys] [requests] [svg-path]
/// </summary>
internal static class ZipfCacheBench
{
    private static readonly double[] Sizes = [0.01, 0.02, 0.05, 0.10, 0.20, 0.30, 0.50, 0.75, 1.00];

    public static int Run(string[] args)
    {
        var keys = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var requests = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2_000_000;
        var svgPath = args.Length > 3 ? args[3] : null;
        var trace = Zipf(keys, requests, exponent: 1.0, seed: 42);
        var warm = requests / 10; // the first 10 % fill the cache; hit ratios are over the rest (steady state)

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Zipf(1.0), {keys:N0} keys, {requests:N0} reads ({warm:N0} warm-up, not counted)"));
        Console.WriteLine("cache size | L1 MemoryCache | LRU    | LRU+TinyLFU | top-k optimum | L1 at 10 % + Redis (LFU) at this size");
        var rows = new List<(double Size, double L1, double Lru, double Lfu, double Optimum, double TwoLevel)>();
        foreach (var share in Sizes)
        {
            var capacity = Math.Max(1, (int)(keys * share));
            var row = (share, MemoryCacheRatio(trace, capacity, warm), LruRatio(trace, capacity, warm), TinyLfuRatio(trace, capacity, warm, keys), Optimum(keys, capacity, 1.0), TwoLevelRatio(trace, capacity, warm, keys));
            rows.Add(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{share,9:P0} | {row.Item2,14:P1} | {row.Item3,6:P1} | {row.Item4,11:P1} | {row.Item5,13:P1} | {row.Item6,6:P1}"));
        }

        if (svgPath is not null)
        {
            var chart = new LineChart { Title = $"Hit ratio on Zipf(1.0) over {keys:N0} keys", XLabel = "cache size, % of keys", YLabel = "hit ratio, %" };
            var svg = chart.Svg(
                [.. rows.Select(r => r.Size * 100)],
                [
                    new ChartSeries("L1 (MemoryCache)", [.. rows.Select(r => r.L1 * 100)]),
                    new ChartSeries("LRU", [.. rows.Select(r => r.Lru * 100)]),
                    new ChartSeries("LRU+TinyLFU", [.. rows.Select(r => r.Lfu * 100)]),
                    new ChartSeries("top-k optimum", [.. rows.Select(r => r.Optimum * 100)]),
                    new ChartSeries("L1 10 % + Redis LFU", [.. rows.Select(r => r.TwoLevel * 100)]),
                ]);
            File.WriteAllText(svgPath, svg);
            Console.WriteLine($"chart: {svgPath}");
        }

        return 0;
    }

    /// <summary>A Zipf(exponent) trace of key ranks 0..keys-1 (rank 0 the most popular), by inverse CDF.</summary>
    private static int[] Zipf(int keys, int requests, double exponent, int seed)
    {
        var cdf = new double[keys];
        var sum = 0.0;
        for (var k = 0; k < keys; k++)
        {
            sum += 1 / Math.Pow(k + 1, exponent);
            cdf[k] = sum;
        }

        var random = new Random(seed);
        var trace = new int[requests];
        for (var i = 0; i < requests; i++)
        {
            var index = Array.BinarySearch(cdf, random.NextDouble() * sum);
            trace[i] = Math.Min(keys - 1, index < 0 ? ~index : index);
        }

        return trace;
    }

    /// <summary>The L1 as the cache tier configures it: MemoryCache, SizeLimit = capacity, each entry size 1.</summary>
    private static double MemoryCacheRatio(int[] trace, int capacity, int warm)
    {
        using var cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity, CompactionPercentage = 0.10 });
        long hits = 0;
        for (var i = 0; i < trace.Length; i++)
        {
            if (cache.TryGetValue(trace[i], out _))
            {
                hits += i >= warm ? 1 : 0;
            }
            else
            {
                cache.Set(trace[i], true, new MemoryCacheEntryOptions { Size = 1 });
            }
        }

        return (double)hits / (trace.Length - warm);
    }

    private static double LruRatio(int[] trace, int capacity, int warm)
    {
        var lru = new Lru(capacity);
        long hits = 0;
        for (var i = 0; i < trace.Length; i++)
        {
            if (lru.Touch(trace[i]))
            {
                hits += i >= warm ? 1 : 0;
            }
            else
            {
                lru.Add(trace[i]);
            }
        }

        return (double)hits / (trace.Length - warm);
    }

    /// <summary>LRU whose newcomers are admitted only if seen more often than the entry they would evict (frequencies decay by halving).</summary>
    private static double TinyLfuRatio(int[] trace, int capacity, int warm, int keys)
    {
        var lru = new Lru(capacity);
        var frequency = new int[keys];
        var sampleSize = capacity * 10;
        var seen = 0;
        long hits = 0;
        for (var i = 0; i < trace.Length; i++)
        {
            var key = trace[i];
            frequency[key]++;
            if (++seen == sampleSize)
            {
                seen = 0;
                for (var k = 0; k < keys; k++)
                {
                    frequency[k] /= 2;
                }
            }

            if (lru.Touch(key))
            {
                hits += i >= warm ? 1 : 0;
            }
            else if (!lru.Full || frequency[key] > frequency[lru.Victim])
            {
                lru.Add(key);
            }
        }

        return (double)hits / (trace.Length - warm);
    }

    /// <summary>The tier as deployed: L1 (MemoryCache at 10 % of the keys) in front of a Redis of the given size evicting by frequency (allkeys-lfu).</summary>
    private static double TwoLevelRatio(int[] trace, int l2Capacity, int warm, int keys)
    {
        using var l1 = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, keys / 10), CompactionPercentage = 0.10 });
        var l2 = new Lru(l2Capacity);
        var frequency = new int[keys];
        var sampleSize = l2Capacity * 10;
        var seen = 0;
        long hits = 0;
        for (var i = 0; i < trace.Length; i++)
        {
            var key = trace[i];
            frequency[key]++;
            if (++seen == sampleSize)
            {
                seen = 0;
                for (var k = 0; k < keys; k++)
                {
                    frequency[k] /= 2;
                }
            }

            if (l1.TryGetValue(key, out _))
            {
                hits += i >= warm ? 1 : 0;
                continue;
            }

            if (l2.Touch(key))
            {
                hits += i >= warm ? 1 : 0;
            }
            else if (!l2.Full || frequency[key] > frequency[l2.Victim])
            {
                l2.Add(key);
            }

            l1.Set(key, true, new MemoryCacheEntryOptions { Size = 1 });
        }

        return (double)hits / (trace.Length - warm);
    }

    /// <summary>The best any cache of this size can do on an independent Zipf stream: hold the top-k keys (H(k)/H(N)).</summary>
    private static double Optimum(int keys, int capacity, double exponent)
    {
        double top = 0, all = 0;
        for (var k = 1; k <= keys; k++)
        {
            var p = 1 / Math.Pow(k, exponent);
            all += p;
            top += k <= capacity ? p : 0;
        }

        return top / all;
    }

    /// <summary>An exact LRU over int keys.</summary>
    private sealed class Lru(int capacity)
    {
        private readonly Dictionary<int, LinkedListNode<int>> _nodes = new(capacity);
        private readonly LinkedList<int> _order = new();

        public bool Full => _nodes.Count >= capacity;

        public int Victim => _order.Last!.Value;

        public bool Touch(int key)
        {
            if (!_nodes.TryGetValue(key, out var node))
            {
                return false;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return true;
        }

        public void Add(int key)
        {
            if (Full)
            {
                _nodes.Remove(_order.Last!.Value);
                _order.RemoveLast();
            }

            _nodes[key] = _order.AddFirst(key);
        }
    }
}
