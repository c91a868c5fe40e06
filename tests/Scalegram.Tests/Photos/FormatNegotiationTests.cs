using Scalegram.Photos;

namespace Scalegram.Tests.Photos;

public sealed class FormatNegotiationTests
{
    private static readonly SourceDto Avif = new("image/avif", "/a.avif");
    private static readonly SourceDto Webp = new("image/webp", "/a.webp");
    private static readonly SourceDto Jpeg = new("image/jpeg", "/a.jpg");
    private static readonly IReadOnlyList<SourceDto> All = [Avif, Webp, Jpeg];

    [Theory]
    [InlineData("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "/a.avif")] // Chromium's img Accept
    [InlineData("image/webp,*/*", "/a.webp")]
    [InlineData("image/avif;q=0.5, image/webp", "/a.webp")]
    [InlineData("image/avif;q=0, image/webp;q=0.1", "/a.webp")]
    [InlineData("IMAGE/AVIF", "/a.avif")]
    [InlineData("*/*", "/a.jpg")]
    [InlineData("image/*", "/a.jpg")]
    [InlineData("image/jpeg", "/a.jpg")]
    [InlineData("", "/a.jpg")]
    [InlineData("this is not a media type ;;;", "/a.jpg")]
    public void Avif_and_webp_only_when_named_else_jpeg(string accept, string expected) =>
        Assert.Equal(expected, FormatNegotiation.Choose(All, [accept]).Url);

    [Fact]
    public void A_photo_with_only_jpeg_answers_jpeg_whatever_is_asked() =>
        Assert.Same(Jpeg, FormatNegotiation.Choose([Jpeg], ["image/avif,image/webp"]));

    [Fact]
    public void Several_accept_headers_count_together() =>
        Assert.Same(Webp, FormatNegotiation.Choose(All, ["image/jpeg", "image/webp"]));
}
