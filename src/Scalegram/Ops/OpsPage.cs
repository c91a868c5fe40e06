using System.Net;

namespace Scalegram.Ops;

/// <summary>
/// The ops page's markup: server-drawn SVG charts (see <see cref="OpsCharts"/>) refreshed every
/// 5 s by a few lines of script, plus the latest figures from /api/ops/series.
/// </summary>
internal static class OpsPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Scalegram · ops</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 1.5rem; background: #fafafa; color: #222; }
          h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
          .note { color: #666; margin: 0 0 1rem; }
          .figures { display: flex; flex-wrap: wrap; gap: .8rem; margin-bottom: 1rem; }
          .figure { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .5rem .8rem; min-width: 8rem; }
          .figure b { display: block; font-size: 1.3rem; }
          .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 1rem; }
          .charts img { width: 100%; background: #fff; border: 1px solid #ddd; border-radius: 6px; }
          table.replicas { border-collapse: collapse; background: #fff; margin-bottom: 1rem; }
          table.replicas td, table.replicas th { border: 1px solid #ddd; padding: .25rem .6rem; text-align: left; }
        </style>
        </head>
        <body>
        <h1>Scalegram operations</h1>
        <p class="note">This node, the last hour, sampled every <span id="interval">5</span> s. Updated <span id="updated">…</span>.</p>
        <div class="figures" id="figures"></div>
        <div id="replicas"></div>
        <div class="charts">
          <img data-chart="traffic" alt="Requests per second">
          <img data-chart="latency" alt="p50 and p99 latency">
          <img data-chart="errors" alt="Error rate">
          <img data-chart="cache" alt="Cache hit ratio">
          <img data-chart="queue" alt="Queue depth and oldest job age">
          <img data-chart="business" alt="Sign-ups, uploads, likes, comments, follows">
        </div>
        <script>
        const figure = (label, value) => `<div class="figure">${label}<b>${value}</b></div>`;
        async function refresh() {
          const stamp = Date.now();
          for (const img of document.querySelectorAll("img[data-chart]")) {
            img.src = `/api/ops/charts/${img.dataset.chart}.svg?t=${stamp}`;
          }
          const response = await fetch("/api/ops/series", { credentials: "same-origin" });
          if (!response.ok) { document.getElementById("updated").textContent = `failed (${response.status})`; return; }
          const series = await response.json();
          document.getElementById("interval").textContent = series.intervalSeconds;
          document.getElementById("updated").textContent = new Date().toLocaleTimeString();
          const p = series.points.at(-1);
          if (!p) { document.getElementById("figures").innerHTML = figure("waiting for the first sample", "…"); return; }
          document.getElementById("figures").innerHTML = [
            figure("requests/s", p.requestsPerSecond.toFixed(1)),
            figure("p50 / p99", `${p.p50Ms.toFixed(1)} / ${p.p99Ms.toFixed(1)} ms`),
            figure("errors", `${(p.errorRate * 100).toFixed(2)} %`),
            figure("cache hits", p.cacheHitRatio === null ? "–" : `${(p.cacheHitRatio * 100).toFixed(1)} %`),
            figure("queue", `${p.queueDepth} jobs, ${p.queueOldestAgeSeconds.toFixed(1)} s`),
            figure("daily active users", p.dailyActiveUsers),
          ].join("");
        }
        const cell = (v) => `<td>${String(v).replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`)}</td>`;
        async function replicas() {
          const response = await fetch("/api/ops/replicas", { credentials: "same-origin" });
          if (!response.ok) { return; }
          const stores = await response.json();
          document.getElementById("replicas").innerHTML = stores.length === 0 ? "" :
            "<table class=\"replicas\"><tr><th>store</th><th>node</th><th>role</th><th>lag</th><th>lag bytes</th><th>replayed</th></tr>" +
            stores.flatMap(s => s.nodes.map(n => "<tr>" + cell(s.store) + cell(n.name) + cell(n.role) +
              cell(n.role === "standby" ? `${n.lagMs.toFixed(0)} ms${n.lagMs > s.maxLagMs ? " (skipped)" : ""}` : "–") +
              cell(n.role === "standby" ? n.lagBytes : "–") + cell(n.replayed) + "</tr>")).join("") + "</table>";
        }
        refresh();
        replicas();
        setInterval(refresh, 5000);
        setInterval(replicas, 5000);
        </script>
        </body>
        </html>
        """;

    public static string Forbidden(string? username) => $$"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Scalegram · not an administrator</title>
        <style>body { font-family: system-ui, sans-serif; margin: 3rem; color: #222; }</style></head>
        <body>
        <h1>This page is for administrators</h1>
        <p>You are signed in as <b>{{WebUtility.HtmlEncode(username ?? "?")}}</b>, which is not an administrator account.</p>
        <p>An operator can grant the role with <code>scalegram admin grant USERNAME</code>, or list the username in the
        <code>Web:Admins</code> setting. <a href="/">Back to Scalegram</a></p>
        </body>
        </html>
        """;
}
