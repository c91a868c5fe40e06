using Scalegram.Data.Replication;

namespace Scalegram.Tests.Data.Replication;

/// <summary>WAL positions read as PostgreSQL writes them and compare as positions.</summary>
public sealed class LsnTests
{
    [Theory]
    [InlineData("0/0", 0UL)]
    [InlineData("0/16B3748", 0x16B3748UL)]
    [InlineData("16/B374D848", 0x16B374D848UL)]
    public void Parses_and_prints_pg_lsn(string text, ulong value)
    {
        Assert.Equal(value, Lsn.Parse(text).Value);
        Assert.Equal(text, Lsn.Parse(text).ToString());
    }

    [Fact]
    public void Compares_across_the_32_bit_boundary_and_measures_bytes_behind()
    {
        var low = Lsn.Parse("0/FFFFFFFF");
        var high = Lsn.Parse("1/0");
        Assert.True(high > low);
        Assert.Equal(1, high.BytesAhead(low));
        Assert.Equal(0, low.BytesAhead(high));
    }
}
