using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scalegram.Accounts;

/// <summary>Source-generated JSON for GET /api/me's answer (see Photos/PhotoJsonContext).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MeDto))]
internal sealed partial class AccountJsonContext : JsonSerializerContext;
