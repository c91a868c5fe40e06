using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Scalegram.Photos;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>Finding 1: an upload that never completes leaves nothing in DATA_DIR/tmp, and old leftovers are swept.</summary>
public sealed class UploadTempFileTests
{
    [Fact]
    public async Task A_request_aborted_mid_part_after_the_file_part_leaves_no_temp_file()
    {
        var dir = Directory.CreateTempSubdirectory("scalegram-spool-").FullName;
        try
        {
            const string boundary = "b0undary";
            var body = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n")
                .Concat(TestImages.Jpeg(64, 64))
                .Concat(Encoding.ASCII.GetBytes($"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nhalf a capt"))
                .ToArray();
            using var aborted = new CancellationTokenSource();
            var http = new DefaultHttpContext();
            http.Request.ContentType = $"multipart/form-data; boundary={boundary}";
            http.Request.Body = new AbortingStream(body, aborted);
            var reader = new UploadReader(Options.Create(new PhotoOptions()), new UploadSpool(dir));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(http.Request, aborted.Token));
            Assert.Empty(Directory.EnumerateFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_client_that_drops_the_connection_after_the_file_part_leaves_no_temp_file()
    {
        await using var server = await TestServer.StartAsync();
        using var user = await ApiClient.NewUserAsync(server);
        var token = user.DefaultRequestHeaders.Authorization!.Parameter!;
        var tmp = Path.Combine(server.DataDir, "tmp");

        const string boundary = "b0undary";
        var head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nhalf a capt");
        var image = TestImages.Jpeg(300, 300);
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
            var stream = tcp.GetStream();
            var request = $"POST /api/photos HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n"
                + $"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {head.Length + image.Length + tail.Length + 10_000}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            await stream.WriteAsync(head);
            await stream.WriteAsync(image);
            await stream.WriteAsync(tail);
            await stream.FlushAsync();

            // Wait until the server has spooled the file part, then drop the connection mid-caption.
            await WaitAsync(() => Directory.Exists(tmp) && Directory.EnumerateFiles(tmp).Any(), "the file part was never spooled");
            await Task.Delay(200);
            tcp.Client.LingerState = new LingerOption(true, 0);
        }

        await WaitAsync(() => !Directory.EnumerateFiles(tmp).Any(), "the aborted upload's temp file is still in tmp/");
    }

    [Fact]
    public async Task Temp_files_older_than_the_bound_are_swept_at_start_up_and_fresh_ones_kept()
    {
        var dir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        var tmp = Directory.CreateDirectory(Path.Combine(dir, "tmp")).FullName;
        var old = Path.Combine(tmp, "upload-old");
        var fresh = Path.Combine(tmp, "upload-fresh");
        await File.WriteAllBytesAsync(old, new byte[1000]);
        await File.WriteAllBytesAsync(fresh, new byte[1000]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));
        try
        {
            await using var server = await TestServer.StartAsync(dataDir: dir);
            await WaitAsync(() => !File.Exists(old), "an upload-* temp file two hours old survived start-up");
            Assert.True(File.Exists(fresh), "a fresh temp file (an upload in progress on another process) was deleted");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }

    /// <summary>A request body that delivers its bytes, then fails as Kestrel does when the client goes away: the request is aborted.</summary>
    private sealed class AbortingStream(byte[] bytes, CancellationTokenSource aborted) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                await aborted.CancelAsync();
                throw new OperationCanceledException(aborted.Token);
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
