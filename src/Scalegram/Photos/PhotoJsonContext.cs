using System.Text.Json;
using System.Text.Json.Serialization;
using Scalegram.Web;

namespace Scalegram.Photos;

/// <summary>
/// Source-generated JSON for the photo answers read most (a feed page, a photo): with the web defaults the
/// answers already use, System.Text.Json writes them by the generated fast path instead of walking metadata.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Page<PhotoDto>))]
[JsonSerializable(typeof(PhotoDto))]
[JsonSerializable(typeof(CommentDto))]
[JsonSerializable(typeof(Page<CommentDto>))]
internal sealed partial class PhotoJsonContext : JsonSerializerContext;
