// The ops page (/ops): reloads the charts and the latest figures every 5 s. Built with DOM
// calls only (no innerHTML): the page's content security policy allows scripts from /static alone.
"use strict";

(() => {
  const byId = (id) => document.getElementById(id);

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  };

  const figure = (label, value) => {
    const item = element("li", "ops-figure", label);
    item.append(element("b", "", value));
    return item;
  };

  const percent = (ratio, digits) => `${(ratio * 100).toFixed(digits)} %`;

  async function refresh() {
    const stamp = Date.now();
    for (const img of document.querySelectorAll("img[data-chart]")) {
      img.src = `/api/ops/charts/${encodeURIComponent(img.dataset.chart)}.svg?t=${stamp}`;
    }

    const response = await fetch("/api/ops/series", { credentials: "same-origin" });
    if (!response.ok) {
      byId("updated").textContent = `failed (${response.status})`;
      return;
    }

    const series = await response.json();
    byId("interval").textContent = String(series.intervalSeconds);
    byId("updated").textContent = new Date().toLocaleTimeString();
    const p = series.points.at(-1);
    const figures = p
      ? [
          figure("requests/s", p.requestsPerSecond.toFixed(1)),
          figure("p50 / p99", `${p.p50Ms.toFixed(1)} / ${p.p99Ms.toFixed(1)} ms`),
          figure("errors", percent(p.errorRate, 2)),
          figure("cache hits", p.cacheHitRatio === null ? "–" : percent(p.cacheHitRatio, 1)),
          figure("queue", `${p.queueDepth} jobs, ${p.queueOldestAgeSeconds.toFixed(1)} s`),
          figure("daily active users", p.dailyActiveUsers),
        ]
      : [figure("waiting for the first sample", "…")];
    byId("figures").replaceChildren(...figures);
  }

  async function replicas() {
    const response = await fetch("/api/ops/replicas", { credentials: "same-origin" });
    if (!response.ok) { return; }
    const stores = await response.json();
    if (stores.length === 0) {
      byId("replicas").replaceChildren();
      return;
    }

    const table = element("table", "ops-replicas");
    const head = element("tr");
    for (const title of ["store", "node", "role", "lag", "lag bytes", "replayed"]) { head.append(element("th", "", title)); }
    table.append(head);
    for (const store of stores) {
      for (const node of store.nodes) {
        const standby = node.role === "standby";
        const row = element("tr");
        const lag = standby ? `${node.lagMs.toFixed(0)} ms${node.lagMs > store.maxLagMs ? " (skipped)" : ""}` : "–";
        for (const value of [store.store, node.name, node.role, lag, standby ? node.lagBytes : "–", node.replayed]) {
          row.append(element("td", "", value));
        }
        table.append(row);
      }
    }
    byId("replicas").replaceChildren(table);
  }

  // The edge (Cdn:BaseUrl): up or down, and each edge's hit ratio since it started (varnishstat).
  async function edges() {
    const response = await fetch("/api/ops/edges", { credentials: "same-origin" });
    if (!response.ok) { return; }
    const edge = await response.json();
    const figures = [figure("edge", edge.configured ? (edge.up ? "up" : "down (media from the origin)") : "not configured")];
    for (const e of edge.edges) {
      figures.push(figure(`edge hits (${e.edge})`, e.hitRatio === null ? "–" : `${percent(e.hitRatio, 1)} of ${e.hits + e.misses}`));
    }
    byId("edges").replaceChildren(...figures);
  }

  // Each queue's backlog (all nodes: jobs waiting, the oldest one's age, dead letters) and the jobs this node finished.
  async function queues() {
    const response = await fetch("/api/ops/queues", { credentials: "same-origin" });
    if (!response.ok) { return; }
    const rows = await response.json();
    const table = element("table", "ops-replicas");
    const head = element("tr");
    for (const title of ["queue", "waiting", "oldest", "dead", "unpublished", "done here (ok / retried / dead)"]) { head.append(element("th", "", title)); }
    table.append(head);
    for (const q of rows) {
      const row = element("tr");
      const oldest = q.oldestAgeSeconds === null ? "–" : `${q.oldestAgeSeconds.toFixed(1)} s`;
      for (const value of [q.queue, q.ready, oldest, q.dead, q.unpublished, `${q.ok} / ${q.retried} / ${q.deadLettered}`]) {
        row.append(element("td", "", String(value)));
      }
      table.append(row);
    }
    byId("queues").replaceChildren(table);
  }

  // The cache tier's memory: L1 entries against Caching:L1SizeLimit, the cache Redis against maxmemory (docs/caching.md).
  async function cacheTier() {
    const response = await fetch("/api/ops/cache", { credentials: "same-origin" });
    if (!response.ok) { return; }
    const c = await response.json();
    const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
    const figures = [figure("L1 entries", `${c.l1Entries} of ${c.l1SizeLimit}`)];
    if (c.redisUsedMemory !== null) {
      figures.push(figure(`Redis memory (${c.redisPolicy})`, c.redisMaxMemory ? `${mib(c.redisUsedMemory)} of ${mib(c.redisMaxMemory)}` : mib(c.redisUsedMemory)));
      figures.push(figure("Redis evictions", `${c.redisEvictedKeys}`));
    }
    byId("cache-tier").replaceChildren(...figures);
  }

  const run = (work) => work().catch((error) => { byId("updated").textContent = `failed (${error})`; });

  run(refresh);
  run(replicas);
  run(queues);
  run(edges);
  run(cacheTier);
  setInterval(() => run(cacheTier), 5000);
  setInterval(() => run(refresh), 5000);
  setInterval(() => run(replicas), 5000);
  setInterval(() => run(queues), 5000);
  setInterval(() => run(edges), 5000);
})();
