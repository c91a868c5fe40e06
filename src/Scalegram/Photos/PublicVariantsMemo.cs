namespace Scalegram.Photos;

/// <summary>A public photo's variants as the API returns them, made while the edge was up (or down).</summary>
internal sealed record PublicVariantsMemo(bool EdgeUp, IReadOnlyList<VariantDto> Variants);
