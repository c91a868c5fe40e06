using System.Net;
using System.Net.Http.Json;
using Scalegram.SystemTests.Drills;

namespace Scalegram.SystemTests.Replication;

/// <summary>
/// A drill client's keyed comment write that the client itself retries (same Idempotency-Key, the next
/// web node each time) until it is acknowledged or its time is up: how an "unknown" outcome during a
/// database failover is resolved. Recorded once in the history: ok when some attempt got 201, failed
/// when the app refused it (4xx), unknown when it never got an answer (only errors or no response).
/// The comments are the same as <see cref="CommentLedger"/>'s, so its checker reads them back.
/// </summary>
internal static class RetriedWrites
{
    public static Task WriteAsync(IReadOnlyList<HttpClient> clients, History history, string photoId, long n, TimeSpan retryFor) =>
        history.RecordAsync("write", $"c-{n}", async () =>
        {
            var deadline = history.Now + retryFor;
            var attempts = 0;
            while (true)
            {
                var client = clients[(int)((n + attempts++) % clients.Count)];
                string last;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/photos/{photoId}/comments") { Content = JsonContent.Create(new { text = $"c-{n}" }) };
                    request.Headers.Add("Idempotency-Key", $"drill-{n}");
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        return (true, $"201 after {attempts} attempt(s)");
                    }

                    if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 409 and not 429)
                    {
                        return (false, $"{(int)response.StatusCode} {body}");
                    }

                    last = $"{(int)response.StatusCode} {body}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    last = $"{e.GetType().Name}: {e.Message}";
                }

                if (history.Now > deadline)
                {
                    // A 5xx or no answer: the comment may or may not be stored.
                    throw new HttpRequestException($"no acknowledgement after {attempts} attempts; last: {last}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        });
}
