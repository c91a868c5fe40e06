using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalegram.Accounts;
using Scalegram.Caching;
using Scalegram.Cdn;
using Scalegram.Data;
using Scalegram.Feed;
using Scalegram.Imaging;
using Scalegram.Jobs;
using Scalegram.LoadBalancing;
using Scalegram.Messaging;
using Scalegram.Observability;
using Scalegram.Ops;
using Scalegram.Photos;
using Scalegram.Social;
using Scalegram.Storage;
using Scalegram.Ui;
using Scalegram.Web;
using Scalegram.Workers;

namespace Scalegram.Roles;

/// <summary>Builds one Scalegram process for a role: the Add&lt;Tier&gt;() calls its parts name (<see cref="RoleTable"/>), then its pipeline and endpoints.</summary>
internal static class ScalegramApp
{
    public const string DefaultUrl = "http://localhost:8080";

    public static WebApplication Build(string[] args, NodeRole role)
    {
        var parts = RoleTable.Parts[role];
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        var configuration = builder.Configuration;
        services.TryAddSingleton(TimeProvider.System);
        If(NodeParts.Observability, () => builder.AddObservabilityTier(role.ToString().ToLowerInvariant()));
        If(NodeParts.Health, () => services.AddHealth());
        If(NodeParts.Data, () => services.AddDataTier(configuration));
        If(NodeParts.Caching, () => services.AddCachingTier(configuration));
        If(NodeParts.Storage, () => services.AddStorageTier(configuration));
        If(NodeParts.Imaging, () => services.AddImagingTier(configuration));
        If(NodeParts.Messaging, () => services.AddMessagingTier(configuration));
        If(NodeParts.Cdn, () => services.AddCdnTier(configuration));
        If(NodeParts.Web, () => services.AddWebTier(configuration));
        If(NodeParts.Product, () => services.AddJobs().AddAccounts().AddPhotos(configuration).AddSocial().AddFeed());
        If(NodeParts.Api, () => services.AddAccountsOnWeb());
        If(NodeParts.Ui, () => services.AddUi());
        If(NodeParts.Ops, () => services.AddOps());
        If(NodeParts.Workers, () => services.AddWorkers());
        If(NodeParts.LoadBalancing, () => services.AddLoadBalancingTier(configuration));

        var app = builder.Build();
        If(NodeParts.Web, () => app.UseTrustedProxies());
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        If(NodeParts.Health, () => app.MapHealth());
        If(NodeParts.Observability, () => app.MapObservability());
        If(NodeParts.Ui, () => app.UseWebUiPages());
        If(NodeParts.Web, () => app.UseWebTier());
        If(NodeParts.Api, () =>
        {
            app.MapAccounts();
            app.MapProfiles();
            app.MapPhotos();
            app.MapFollows();
            app.MapFeed();
            app.MapMedia();
        });
        If(NodeParts.Ui, () => app.MapWebUi());
        If(NodeParts.Ops, () => app.MapOps());
        If(NodeParts.LoadBalancing, () => app.MapLoadBalancer());
        return app;

        void If(NodeParts part, Action add)
        {
            if (parts.HasFlag(part))
            {
                add();
            }
        }
    }
}
