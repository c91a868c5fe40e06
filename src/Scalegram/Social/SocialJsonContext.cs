using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scalegram.Social;

/// <summary>Source-generated JSON for a profile, the answer read most in this folder (see Photos/PhotoJsonContext).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProfileView))]
internal sealed partial class SocialJsonContext : JsonSerializerContext;
