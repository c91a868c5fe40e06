using System.Security.Cryptography;
using System.Text;

namespace Scalegram.Web.Idempotency;

/// <summary>
/// A SHA-256 of the request body as it streams past, so a retry can be told from a different request
/// under the same key. In a multipart body the boundary is left out: a client that rebuilds the same
/// form for a retry picks a new random boundary, and that must not count as a different request.
/// </summary>
internal sealed class BodyFingerprint : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[]? _boundary;
    private byte[] _pending = [];
    private int _pendingLength;

    public BodyFingerprint(string? contentType)
    {
        if (contentType is not null
            && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            && Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(media.Boundary).Value is { Length: > 0 } boundary)
        {
            _boundary = Encoding.ASCII.GetBytes(boundary);
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_boundary is null)
        {
            _hash.AppendData(data);
            return;
        }

        // Bytes that might start a boundary split across reads wait in _pending for the next read.
        if (_pending.Length < _pendingLength + data.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pendingLength + data.Length, _pending.Length * 2));
        }

        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += data.Length;
        var span = _pending.AsSpan(0, _pendingLength);
        var start = 0;
        int at;
        while ((at = span[start..].IndexOf(_boundary)) >= 0)
        {
            _hash.AppendData(span.Slice(start, at));
            start += at + _boundary.Length;
        }

        var keep = Math.Min(_boundary.Length - 1, span.Length - start);
        _hash.AppendData(span[start..^keep]);
        span[^keep..].CopyTo(_pending);
        _pendingLength = keep;
    }

    /// <summary>The request's fingerprint: method, path and the body's hash.</summary>
    public string Finish(HttpRequest request)
    {
        _hash.AppendData(_pending.AsSpan(0, _pendingLength));
        _pendingLength = 0;
        return $"{request.Method} {request.Path} {Convert.ToHexStringLower(_hash.GetHashAndReset())}";
    }

    public void Dispose() => _hash.Dispose();
}
