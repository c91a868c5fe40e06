using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>Finding 8: control and format characters are refused (400 invalid-text) in every text a user writes.</summary>
public class UserTextTests : ApiTestBase
{
    public static readonly TheoryData<string> Bad = new()
    {
        "nul\u0000name",
        "bell\u0007",
        "zero\u200Bwidth",
        "right\u202Eto left",
        "bom\uFEFF",
        "line\u2028separator",
        "escape\u001B[31m",
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public async Task Display_names_at_sign_up_and_on_change(string text)
    {
        using var client = Server.CreateClient();
        var signUp = await client.PostAsJsonAsync("/api/accounts", new { username = ApiClient.NewName("t"), password = ApiClient.Password, displayName = text });
        await ApiClient.AssertProblemAsync(signUp, HttpStatusCode.BadRequest, "invalid-text");

        using var user = await ApiClient.NewUserAsync(Server);
        await ApiClient.AssertProblemAsync(await user.PatchAsJsonAsync("/api/me", new { displayName = text }), HttpStatusCode.BadRequest, "invalid-text");
    }

    [Theory]
    [MemberData(nameof(Bad))]
    public async Task Comments_and_captions(string text)
    {
        using var user = await ApiClient.NewUserAsync(Server);
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(user, TestImages.Jpeg(64, 64), caption: text), HttpStatusCode.BadRequest, "invalid-text");

        var photoId = await ApiClient.UploadOkAsync(user, TestImages.Jpeg(64, 64));
        await ApiClient.WaitForPhotoAsync(user, photoId);
        await ApiClient.AssertProblemAsync(await user.PostAsJsonAsync($"/api/photos/{photoId}/comments", new { text }), HttpStatusCode.BadRequest, "invalid-text");
    }

    [Fact]
    public async Task Ordinary_text_with_emoji_joiners_accents_and_line_breaks_in_a_caption_is_kept()
    {
        using var user = await ApiClient.NewUserAsync(Server);
        const string name = "Zoë 👩‍💻 فارسی\u200Cها";
        var me = await user.PatchAsJsonAsync("/api/me", new { displayName = name });
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(name, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("displayName").GetString());
        await ApiClient.UploadOkAsync(user, TestImages.Jpeg(64, 64), caption: "first line\nsecond\ttabbed 🎉");
    }
}

/// <summary>The same on PostgreSQL (where a NUL would have failed the write).</summary>
public sealed class UserTextTestsOnPostgres : UserTextTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
