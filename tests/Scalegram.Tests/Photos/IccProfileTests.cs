using NetVips;
using Scalegram.Imaging;

namespace Scalegram.Tests.Photos;

/// <summary>sRGB profiles are told apart from the ones whose colours need converting, and junk is never taken for sRGB.</summary>
public sealed class IccProfileTests
{
    private static byte[] ProfileOf(string profile)
    {
        using var black = Image.Black(4, 4, bands: 3);
        using var srgb = black.Copy(interpretation: Enums.Interpretation.Srgb);
        using var tagged = srgb.IccTransform(profile);
        return (byte[])tagged.Get("icc-profile-data");
    }

    [Fact]
    public void Libvips_srgb_profile_is_srgb() => Assert.True(IccProfile.IsSrgb(ProfileOf("srgb")));

    [Theory]
    [InlineData("p3")]
    [InlineData("cmyk")]
    public void Other_profiles_are_not(string profile) => Assert.False(IccProfile.IsSrgb(ProfileOf(profile)));

    [Fact]
    public void A_truncated_or_empty_profile_is_not_srgb()
    {
        var srgb = ProfileOf("srgb");
        Assert.False(IccProfile.IsSrgb(srgb[..140]));
        Assert.False(IccProfile.IsSrgb([]));
    }
}
