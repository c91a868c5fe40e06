namespace Scalegram.Bench.Workloads;

/// <summary>
/// The users and photos a run knows about: seeded first, growing as the load signs up users and
/// uploads photos. Lists are ordered by popularity rank (index 0 is the most popular).
/// </summary>
internal sealed class BenchWorld(string runId)
{
    public const string Password = "bench-load-passphrase-7Q";

    private readonly Lock _gate = new();
    private readonly List<BenchUser> _users = [];
    private readonly List<BenchUser> _actors = [];
    private readonly HashSet<string> _signedIn = new(StringComparer.Ordinal);
    private readonly List<string> _photos = [];
    private int _nextName;

    /// <summary>A short random tag in every username, so runs against the same data do not collide.</summary>
    public string RunId { get; } = runId;

    public int UserCount
    {
        get
        {
            lock (_gate)
            {
                return _users.Count;
            }
        }
    }

    public int PhotoCount
    {
        get
        {
            lock (_gate)
            {
                return _photos.Count;
            }
        }
    }

    public IReadOnlyList<string> Photos
    {
        get
        {
            lock (_gate)
            {
                return [.. _photos];
            }
        }
    }

    public string NewUsername() => $"b{RunId}_{Interlocked.Increment(ref _nextName)}";

    public void AddUser(BenchUser user)
    {
        lock (_gate)
        {
            _users.Add(user);
            if (user.Token is not null && _signedIn.Add(user.Username))
            {
                _actors.Add(user);
            }
        }
    }

    /// <summary>A user signed in: from now on it can act (browse, like, upload).</summary>
    public void SignedIn(string username, string token)
    {
        lock (_gate)
        {
            if (_signedIn.Add(username))
            {
                _actors.Add(new BenchUser(username, token));
            }
        }
    }

    public void AddPhoto(string id)
    {
        lock (_gate)
        {
            _photos.Add(id);
        }
    }

    /// <summary>A user by Zipf popularity (who gets viewed and followed).</summary>
    public BenchUser Popular(Random random)
    {
        lock (_gate)
        {
            return _users[Zipf.Rank(random, _users.Count)];
        }
    }

    /// <summary>Any user, uniformly.</summary>
    public BenchUser Anyone(Random random)
    {
        lock (_gate)
        {
            return _users[random.Next(_users.Count)];
        }
    }

    /// <summary>Any signed-in user, uniformly (who is acting).</summary>
    public BenchUser Actor(Random random)
    {
        lock (_gate)
        {
            return _actors[random.Next(_actors.Count)];
        }
    }

    /// <summary>A photo by Zipf popularity, or null before any exists.</summary>
    public string? PopularPhoto(Random random)
    {
        lock (_gate)
        {
            return _photos.Count == 0 ? null : _photos[Zipf.Rank(random, _photos.Count)];
        }
    }
}

/// <summary>A user the bench created; Token is null until it signs in.</summary>
internal sealed record BenchUser(string Username, string? Token);
