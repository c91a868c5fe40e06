using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Scalegram.Web.Idempotency;

/// <summary>Opts an endpoint in to Idempotency-Key handling (<see cref="IdempotencyMiddleware"/>).</summary>
internal static class IdempotencyEndpointExtensions
{
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(IdempotentEndpoint.Instance);
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKeyHeader.Name,
                In = ParameterLocation.Header,
                Required = false,
                Description = "1 to 255 printable ASCII characters (a UUID is best). The same key from the same caller within 24 h replays the first answer (with Idempotent-Replayed: true) and creates nothing new.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyKeyHeader.MaxLength },
            });
            return Task.CompletedTask;
        });
        return builder;
    }
}
