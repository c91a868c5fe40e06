using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.Drills;

/// <summary>
/// The writes of a drill: comments on one photo, each with its own text and Idempotency-Key (so a load
/// balancer may retry it), recorded in the history as "write"; and the checker that reads them all back.
/// </summary>
internal static class CommentLedger
{
    public static Task WriteAsync(HttpClient client, History history, string photoId, string key) =>
        history.RecordAsync("write", $"c-{key}", async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/photos/{photoId}/comments") { Content = JsonContent.Create(new { text = $"c-{key}" }) };
            request.Headers.Add("Idempotency-Key", $"drill-{key}");
            using var response = await client.SendAsync(request);
            return (response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        });

    /// <summary>Every comment the client saw acknowledged is stored exactly once, and no comment is stored twice.</summary>
    public static async Task AssertReadBackAsync(HttpClient client, History history, string photoId, ITestOutputHelper output)
    {
        var stored = await TextsAsync(client, photoId);
        var doubled = stored.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(doubled.Count == 0, $"comments stored twice: {string.Join(", ", doubled)}");
        var acknowledged = history.Of("write").Where(o => o.Outcome == History.Outcome.Ok).Select(o => o.Key).ToList();
        var lost = acknowledged.Except(stored).ToList();
        Assert.True(lost.Count == 0, $"acknowledged comments missing: {string.Join(", ", lost)}");
        Assert.True(acknowledged.Count > 0, "the drill acknowledged no write at all");
        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count()); // each write has its own key
        output.WriteLine($"{acknowledged.Count} acknowledged writes read back once each; {stored.Count} stored; write failures:\n{history.Failures("write")}");
    }

    private static async Task<List<string>> TextsAsync(HttpClient client, string photoId)
    {
        var texts = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}/comments{(cursor is null ? "" : $"?cursor={cursor}")}");
            texts.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("text").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return texts;
    }
}
