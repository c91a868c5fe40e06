using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Web.Idempotency;

namespace Scalegram.Web;

/// <summary>Registers the stateless web tier: session authentication, CSRF, rate limits, problem details, health and OpenAPI. The features map their own endpoints.</summary>
internal static class WebTier
{
    public static IServiceCollection AddWebTier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DrainOptions>().Configure<IOptions<WebOptions>>((drain, web) => drain.Delay = web.Value.DrainDelay);
        // Every problem carries a stable `code`, including the ones the framework writes itself
        // (status-code pages: 404 for an unknown route, 415 for a wrong Content-Type, ...).
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            var status = c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode;
            c.ProblemDetails.Extensions.TryAdd("code", Problems.CodeFor(status));
            c.ProblemDetails.Detail ??= Problems.DetailFor(status);
        });

        // Malformed JSON bodies throw, so ProblemExceptionHandler answers 400 with a clear message.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddAuthentication(SessionAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthentication>(SessionAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy("admin", p => p.RequireRole("admin"));
        services.AddSingleton<SessionCookie>();
        services.AddSingleton<SessionCache>();
        services.AddSingleton<SessionRevocations>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionRevocations>());
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfProtection.HeaderName;
            o.Cookie.Name = "sg_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });

        // Antiforgery tokens and any protected cookie must verify on every node: the keys are shared.
        services.AddDataProtection().SetApplicationName("scalegram");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, SharedKeys>();
        services.AddLoginRateLimits();
        services.AddSingleton<ActiveUsers>();
        services.AddSingleton<IIdempotencyStore, IdempotencyStore>();
        services.AddHostedService<IdempotencyKeySweeper>();
        services.AddOpenApi();
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = long.MaxValue);

        // No "Server: Kestrel" (it only helps whoever looks for a version to attack); nosniff on every answer.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        services.AddTransient<IStartupFilter, SecurityHeaders>();
        return services;
    }

    /// <summary>The request pipeline of a web node, before its endpoints: which node answered, who is signed in, CSRF, rate limits, Idempotency-Key; and OpenAPI.</summary>
    public static WebApplication UseWebTier(this WebApplication app)
    {
        app.UseMiddleware<NodeHeader>();
        app.UseMiddleware<JsonBodyLimit>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<ActiveUsers.Middleware>();
        app.UseMiddleware<ReadYourWrites>();
        app.UseMiddleware<CsrfProtection>();
        if (app.Services.GetService<RedisConnection>() is not null)
        {
            app.UseMiddleware<SharedLoginLimits>();
        }

        app.UseRateLimiter();

        // After everything that may refuse a request, so a refusal (401, CSRF, 429) never touches a key.
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    /// <summary>
    /// Keeps Data Protection keys in the database's directory store, shared by every node and surviving any Redis
    /// loss (Redis holds only what can be rebuilt; docs/caching.md). Embedded single-node mode keeps them there too.
    /// </summary>
    private sealed class SharedKeys(Database db) : IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions options) => options.XmlRepository = new DatabaseXmlRepository(db);
    }
}
