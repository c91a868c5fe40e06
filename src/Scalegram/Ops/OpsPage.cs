using System.Net;
using Scalegram.Web;

namespace Scalegram.Ops;

/// <summary>
/// The ops page's markup: server-drawn SVG charts (see <see cref="OpsCharts"/>) refreshed every
/// 5 s by /static/ops.js, plus the latest figures from /api/ops/series; styles in /static/ops.css.
/// </summary>
internal static class OpsPage
{
    /// <summary>The page, its script and styles from /static (the strict CSP forbids inline ones).</summary>
    public static string Html(StaticAssets assets) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>Operations · Scalegram</title>
        <link rel="icon" href="{{assets.Url("icon.svg")}}" type="image/svg+xml">
        <link rel="stylesheet" href="{{assets.Url("app.css")}}">
        <link rel="stylesheet" href="{{assets.Url("ops.css")}}">
        <script src="{{assets.Url("ops.js")}}" defer></script>
        </head>
        <body>
        <header class="topbar ops-topbar"><nav class="topbar-inner" aria-label="Main"><a class="brand" href="/"><span>Scalegram</span></a></nav></header>
        <main class="page ops-page" id="main">
        <h1>Operations</h1>
        <p class="ops-note muted">This node, the last hour, sampled every <span id="interval">5</span> s. Updated <span id="updated">…</span>.</p>
        <ul class="ops-figures" id="figures"></ul>
        <ul class="ops-figures" id="edges"></ul>
        <div id="queues"></div>
        <ul class="ops-figures" id="cache-tier"></ul>
        <div id="replicas"></div>
        <div class="ops-charts">
          <figure class="ops-chart"><img data-chart="traffic" alt="Requests per second" width="560" height="260"></figure>
          <figure class="ops-chart"><img data-chart="latency" alt="p50 and p99 latency" width="560" height="260"></figure>
          <figure class="ops-chart"><img data-chart="errors" alt="Error rate" width="560" height="260"></figure>
          <figure class="ops-chart"><img data-chart="cache" alt="Cache hit ratio" width="560" height="260"></figure>
          <figure class="ops-chart"><img data-chart="edge" alt="Edge hit ratio" width="560" height="260"></figure>
          <figure class="ops-chart"><img data-chart="queue" alt="Queue depth and oldest job age" width="560" height="260"></figure>
          <figure class="ops-chart"><img data-chart="business" alt="Sign-ups, uploads, likes, comments, follows" width="560" height="260"></figure>
        </div>
        </main>
        </body>
        </html>
        """;

    public static string Forbidden(StaticAssets assets, string? username) => $$"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not an administrator · Scalegram</title><link rel="icon" href="{{assets.Url("icon.svg")}}" type="image/svg+xml">
        <link rel="stylesheet" href="{{assets.Url("app.css")}}"><link rel="stylesheet" href="{{assets.Url("ops.css")}}"></head>
        <body>
        <main class="page ops-refused" id="main">
        <h1>This page is for administrators</h1>
        <p>You are signed in as <b>{{WebUtility.HtmlEncode(username ?? "?")}}</b>, which is not an administrator account.</p>
        <p>An operator can grant the role with <code>scalegram admin grant USERNAME</code>, or list the account ID in the
        <code>Web:Admins</code> setting. <a href="/">Back to Scalegram</a></p>
        </main>
        </body>
        </html>
        """;
}
