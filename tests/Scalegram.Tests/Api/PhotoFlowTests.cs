using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NetVips;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

public class PhotoFlowTests : ApiTestBase
{
    [Fact]
    public async Task Upload_turns_ready_with_three_variants_served_immutable()
    {
        using var alice = await ApiClient.SignedInAsync(Server, "alice");
        var id = await ApiClient.UploadOkAsync(alice, TestImages.Jpeg(1600, 1200), caption: "hello", filter: "sepia", crop: "100,100,1200,900");

        var photo = await ApiClient.WaitForPhotoAsync(alice, id);

        Assert.Equal("ready", photo.GetProperty("status").GetString());
        var variants = photo.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal(["large", "medium", "thumb"], variants.Keys.Order());
        Assert.Equal(1080, variants["large"].GetProperty("width").GetInt32());
        Assert.Equal(810, variants["large"].GetProperty("height").GetInt32());
        Assert.Equal(320, variants["thumb"].GetProperty("width").GetInt32());
        Assert.Equal(320, variants["thumb"].GetProperty("height").GetInt32());

        using var anonymous = Server.CreateClient();
        var media = await anonymous.GetAsync(variants["medium"].GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        Assert.Equal("image/jpeg", media.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", media.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", media.Headers.GetValues("X-Content-Type-Options").Single());
        using var served = Image.NewFromBuffer(await media.Content.ReadAsByteArrayAsync());
        Assert.Equal(640, served.Width);
    }
}

public sealed class PhotoFlowTestsOnPostgres : PhotoFlowTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
