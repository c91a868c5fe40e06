using System.Globalization;

namespace Scalegram.Data.Replication;

/// <summary>A PostgreSQL WAL position (pg_lsn, written "16/B374D848"): how far a server has written or replayed.</summary>
internal readonly record struct Lsn(ulong Value) : IComparable<Lsn>
{
    public static readonly Lsn Zero = new(0);

    public static Lsn Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            throw new FormatException($"Not a pg_lsn: '{text}'.");
        }

        var high = ulong.Parse(text.AsSpan(0, slash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var low = ulong.Parse(text.AsSpan(slash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new Lsn((high << 32) | low);
    }

    public static Lsn? ParseOrNull(string? text) => string.IsNullOrEmpty(text) ? null : Parse(text);

    public static bool operator <(Lsn a, Lsn b) => a.Value < b.Value;

    public static bool operator >(Lsn a, Lsn b) => a.Value > b.Value;

    public static bool operator <=(Lsn a, Lsn b) => a.Value <= b.Value;

    public static bool operator >=(Lsn a, Lsn b) => a.Value >= b.Value;

    public static Lsn Max(Lsn a, Lsn b) => a >= b ? a : b;

    /// <summary>Bytes from <paramref name="behind"/> up to this position (0 if it is not behind).</summary>
    public long BytesAhead(Lsn behind) => Value > behind.Value ? (long)Math.Min(Value - behind.Value, long.MaxValue) : 0;

    public int CompareTo(Lsn other) => Value.CompareTo(other.Value);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value >> 32:X}/{Value & 0xFFFFFFFF:X}");
}
