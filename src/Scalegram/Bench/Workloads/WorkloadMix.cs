namespace Scalegram.Bench.Workloads;

/// <summary>A workload: which operations it sends, in what proportions (weights add up to 100).</summary>
internal sealed record WorkloadMix(string Name, IReadOnlyList<(string Operation, double Weight)> Operations)
{
    /// <summary>90 % reads (feed, profiles, photos), 10 % writes (likes, comments, follows).</summary>
    public static readonly WorkloadMix ReadHeavy = new("read-heavy",
    [
        ("feed", 35), ("profile", 25), ("photo", 25), ("user-photos", 5),
        ("like", 6), ("comment", 3), ("follow", 1),
    ]);

    /// <summary>Only uploads of real JPEGs: exercises the upload path, the blob store and the photo pipeline.</summary>
    public static readonly WorkloadMix Upload = new("upload", [("upload", 100)]);

    /// <summary>
    /// Everything a photo app sees, reads first. Sign-ups and logins are a small share on purpose:
    /// each hashes a password (PBKDF2), which costs CPU by design, and logins are rate-limited per address.
    /// Half the photo reads are "view": the JSON and then its medium image from the URL it names, as a browser
    /// does, so the media bytes go where Cdn:BaseUrl sends them (the edge or the origin).
    /// </summary>
    public static readonly WorkloadMix Mixed = new("mixed",
    [
        ("feed", 30), ("profile", 20), ("photo", 11), ("view", 11), ("user-photos", 5),
        ("like", 12), ("comment", 5), ("follow", 3.5), ("upload", 1), ("signup", 1), ("login", 0.5),
    ]);

    public static WorkloadMix Named(string name) => name switch
    {
        "read-heavy" => ReadHeavy,
        "upload" => Upload,
        "mixed" => Mixed,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such workload."),
    };

    /// <summary>Picks an operation with the mix's weights.</summary>
    public string Pick(Random random)
    {
        var total = Operations.Sum(o => o.Weight);
        var point = random.NextDouble() * total;
        foreach (var (operation, weight) in Operations)
        {
            point -= weight;
            if (point < 0)
            {
                return operation;
            }
        }

        return Operations[^1].Operation;
    }
}
