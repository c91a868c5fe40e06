using System.Text;
using Microsoft.AspNetCore.Http;
using Scalegram.Web.Idempotency;

namespace Scalegram.Tests.Web;

/// <summary>The body fingerprint ignores how the body was split into reads, and a multipart form's random boundary.</summary>
public sealed class BodyFingerprintTests
{
    private const string Form = "--{0}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nhello\r\n--{0}--\r\n";

    [Fact]
    public void The_same_form_with_another_boundary_split_anywhere_has_one_fingerprint()
    {
        var expected = Print("multipart/form-data; boundary=aaaa-1111", Encoding.ASCII.GetBytes(string.Format(Form, "aaaa-1111")), chunk: 1000);
        var body = Encoding.ASCII.GetBytes(string.Format(Form, "bbbb-2222"));
        for (var chunk = 1; chunk <= body.Length; chunk++)
        {
            Assert.Equal(expected, Print("multipart/form-data; boundary=\"bbbb-2222\"", body, chunk));
        }

        Assert.NotEqual(expected, Print("multipart/form-data; boundary=aaaa-1111", Encoding.ASCII.GetBytes(string.Format(Form, "aaaa-1111").Replace("hello", "hellO", StringComparison.Ordinal)), chunk: 7));
    }

    [Fact]
    public void A_json_body_is_hashed_as_sent()
    {
        var body = Encoding.UTF8.GetBytes("{\"text\":\"nice\"}");
        Assert.Equal(Print("application/json", body, 1), Print("application/json", body, 100));
        Assert.NotEqual(Print("application/json", body, 100), Print("application/json", Encoding.UTF8.GetBytes("{\"text\":\"nicer\"}"), 100));
    }

    private static string Print(string contentType, byte[] body, int chunk)
    {
        using var fingerprint = new BodyFingerprint(contentType);
        for (var at = 0; at < body.Length; at += chunk)
        {
            fingerprint.Append(body.AsSpan(at, Math.Min(chunk, body.Length - at)));
        }

        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Path = "/api/photos";
        return fingerprint.Finish(http.Request);
    }
}
