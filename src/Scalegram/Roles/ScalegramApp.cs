using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Messaging;
using Scalegram.Observability;
using Scalegram.Observability.Ops;
using Scalegram.Storage;
using Scalegram.Web;
using Scalegram.Workers;

namespace Scalegram.Roles;

/// <summary>Builds one Scalegram process for a role: a chain of Add&lt;Tier&gt;() calls, then the endpoints.</summary>
public static class ScalegramApp
{
    public const string DefaultUrl = "http://localhost:8080";

    public static WebApplication Build(string[] args, NodeRole role)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        var configuration = builder.Configuration;
        builder.AddObservability(role.ToString().ToLowerInvariant());
        services.AddDataTier(configuration);
        services.AddCaching(configuration);
        services.AddStorage(configuration);
        services.AddMessaging(configuration);
        services.AddProduct(configuration);
        services.AddWebTier(configuration);
        if (role.HasFlag(NodeRole.Web))
        {
            services.AddOpsAdmins();
        }

        if (role.HasFlag(NodeRole.Worker))
        {
            services.AddWorkers();
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealth();
        app.MapObservability();
        if (role.HasFlag(NodeRole.Web))
        {
            app.MapWebTier();
            app.MapOps();
        }

        return app;
    }
}
