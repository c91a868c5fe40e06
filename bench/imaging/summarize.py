#!/usr/bin/env python3
"""bench/imaging/summarize.py RAW — the imaging bench's key=value lines to markdown tables (medians over rounds)."""
import statistics
import sys

rows = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1]) if line.startswith("mode=")]


def med(mode, key):
    return statistics.median(float(r[key]) for r in rows if r["mode"] == mode)


def per_photo(mode):
    runs = [r for r in rows if r["mode"] == mode]
    pps = statistics.median(float(r["photos"]) / float(r["wall"]) for r in runs)
    cpu = statistics.median(float(r["cpu"]) / float(r["photos"]) for r in runs)
    return pps, cpu, len(runs)


vt = per_photo("vipsthumbnail")
sg = per_photo("render")
print("## Scalegram's render vs batched vipsthumbnail (median of %d interleaved rounds)" % vt[2])
print()
print("| | photos/s | CPU-s/photo | output KB/photo | photos/s ratio | CPU-s/photo ratio (baseline ÷ this) |")
print("|---|---:|---:|---:|---:|---:|")
print("| vipsthumbnail, one process per size (baseline) | %.2f | %.3f | %.0f | 1.00× | 1.00× |" % (vt[0], vt[1], med("vipsthumbnail", "out_kb")))
print("| Scalegram render, in process | %.2f | %.3f | %.0f | **%.2f×** | **%.2f×** |" % (sg[0], sg[1], med("render", "out_kb"), sg[0] / vt[0], vt[1] / sg[1]))
if any(r["mode"] == "render_formats" for r in rows):
    sf = per_photo("render_formats")
    print("| Scalegram render + formats (not the baseline's job: its cost) | %.2f | %.3f | %.0f | %.2f× | %.2f× |" % (sf[0], sf[1], med("render_formats", "out_kb"), sf[0] / vt[0], vt[1] / sf[1]))
print()
print("Rounds (photos/s, CPU-s/photo): " + "; ".join(
    "%s %.2f, %.3f" % (r["mode"], float(r["photos"]) / float(r["wall"]), float(r["cpu"]) / float(r["photos"])) for r in rows if r["mode"] in ("vipsthumbnail", "render", "render_formats")))
print()

def stage_table(stage_mode, title):
    stages = [r for r in rows if r["mode"] == stage_mode]
    if not stages:
        return
    s = stages[-1]
    print("## Where a render's time goes, %s (one photo at a time; CPU ms / wall ms per photo)" % title)
    print()
    print("| stage | CPU ms | wall ms |")
    print("|---|---:|---:|")
    total = 0.0
    for k, v in s.items():
        if k == "mode":
            continue
        cpu, wall = (float(x) for x in v.split("/"))
        total += cpu
        print("| %s | %.1f | %.1f |" % (k, cpu, wall))
    print("| **total** | **%.1f** | |" % total)
    print()


stage_table("stages", "JPEG only")
stage_table("stages_formats", "with the formats beside each JPEG")

e2e = [r for r in rows if r["mode"] == "e2e"]
if e2e:
    e = e2e[-1]
    n = float(e["photos"])
    print("## End to end: a burst of %d uploads to one node (role all), upload → ready" % int(n))
    print()
    print("| ready | failed | uploads done (s) | all ready (s) | photos/s | node CPU-s/photo | node RSS idle MB | node peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("| %s | %s | %.1f | %.1f | %.2f | %.3f | %s | **%s** |" % (
        e["ready"], e["failed"], float(e["uploads_s"]), float(e["wall"]), n / float(e["wall"]), float(e["cpu"]) / n, e["idle_rss_mb"], e["peak_rss_mb"]))

worker = [r for r in rows if r["mode"] == "worker"]
if worker:
    w = worker[-1]
    n = float(w["photos"])
    print()
    print("## The worker alone: %d uploads to a web node, rendered by a separate `--role worker` process" % int(n))
    print()
    print("| ready | failed | all ready (s) | worker CPU-s/photo | worker RSS idle MB | worker peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    print("| %s | %s | %.1f | %.3f | %s | **%s** |" % (w["ready"], w["failed"], float(w["wall"]), float(w["cpu"]) / n, w["idle_rss_mb"], w["peak_rss_mb"]))
