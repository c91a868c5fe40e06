#!/usr/bin/env python3
"""Reads bench/lb/run.sh's raw.csv (+ open-loop-*.json) and prints the markdown report: medians over
rounds, ratios taken per round (A and B measured back to back) and then their median [min–max]."""
import csv
import json
import os
import platform
import statistics
import sys
from collections import defaultdict

raw, out, duration, rounds, conns, pace, open_rate = sys.argv[1:8]
rows = list(csv.DictReader(open(raw)))
cores = os.cpu_count()
NODES = ["node1", "node2", "node3"]
LB = {"direct": None, "yarp1": "yarp1", "yarp2": "yarp2", "yarp3": "yarp3", "haproxy1": "haproxy1", "haproxy3": "haproxy3",
      "bare1": "bare1"}
NAME = {"direct": "direct to node 1", "yarp1": "YARP lb → 1 node", "haproxy1": "HAProxy → 1 node",
        "yarp2": "YARP lb → 2 nodes", "yarp3": "YARP lb → 3 nodes", "haproxy3": "HAProxy → 3 nodes",
        "bare1": "bare YARP → 1 node"}
ENDPOINT = {"static": "`GET /static/icon.svg`", "profile": "`GET /api/users/bench1`"}

cell = defaultdict(list)  # (phase, endpoint, target) -> rows in round order
for r in rows:
    cell[(r["phase"], r["endpoint"], r["target"])].append(r)


def f(r, k):
    return float(r[k])


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def spread(xs):
    return f"{min(xs):.2f}–{max(xs):.2f}" if xs else ""


def per_k(r, procs):
    """CPU ms per 1000 requests spent by procs in run r."""
    return sum(f(r, p + "_cpu_ms") for p in procs) / max(f(r, "requests"), 1) * 1000


def paired(phase, endpoint, a, b, fn):
    return [fn(x, y) for x, y in zip(cell[(phase, endpoint, a)], cell[(phase, endpoint, b)])]


def lb_procs(target):
    return [LB[target]] if LB[target] else []


def cpu_cols(r, target):
    lb = per_k(r, lb_procs(target))
    nodes = per_k(r, NODES)
    wrk = per_k(r, ["wrk"])
    return lb, nodes, wrk


print(f"### Load balancer bench ({platform.node()}, {cores} cores, one run)\n")
print(f"wrk closed loop `-t2 -c{conns}`, {duration} s per run after a 2 s warm-up, {rounds} rounds with the targets "
      f"interleaved (A B C A B C …); medians over rounds, ratios taken per round and then their median [min–max]. "
      f"CPU: utime+stime from /proc per process, in ms per 1000 requests.\n")

# 1. throughput
print("**YARP vs HAProxy vs direct, one node (closed loop, max throughput)**\n")
print("| endpoint | target | req/s (median) | LB CPU ms/1k req | node CPU ms/1k req | wrk CPU ms/1k req |")
print("|---|---|---:|---:|---:|---:|")
for e in ["static", "profile"]:
    for t in ["direct", "yarp1", "haproxy1", "bare1"]:
        rs = cell[("throughput", e, t)]
        if not rs:
            continue
        lb, nodes, wrk = (med([cpu_cols(r, t)[i] for r in rs]) for i in range(3))
        print(f"| {ENDPOINT[e]} | {NAME[t]} | {med([f(r, 'rps') for r in rs]):.0f} | "
              f"{'–' if t == 'direct' else f'{lb:.0f}'} | {nodes:.0f} | {wrk:.0f} |")
print()
print("| endpoint | YARP / HAProxy throughput | bare YARP / HAProxy | YARP / bare YARP | YARP / direct | HAProxy / direct "
      "| LB CPU per request, YARP / HAProxy | bare YARP / HAProxy |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for e in ["static", "profile"]:
    yh = paired("throughput", e, "yarp1", "haproxy1", lambda a, b: f(a, "rps") / f(b, "rps"))
    yd = paired("throughput", e, "yarp1", "direct", lambda a, b: f(a, "rps") / f(b, "rps"))
    hd = paired("throughput", e, "haproxy1", "direct", lambda a, b: f(a, "rps") / f(b, "rps"))
    cpu = paired("throughput", e, "yarp1", "haproxy1", lambda a, b: per_k(a, ["yarp1"]) / max(per_k(b, ["haproxy1"]), 1e-9))
    bh = paired("throughput", e, "bare1", "haproxy1", lambda a, b: f(a, "rps") / f(b, "rps"))
    yb = paired("throughput", e, "yarp1", "bare1", lambda a, b: f(a, "rps") / f(b, "rps"))
    bcpu = paired("throughput", e, "bare1", "haproxy1", lambda a, b: per_k(a, ["bare1"]) / max(per_k(b, ["haproxy1"]), 1e-9))
    if yh:
        na = "–"
        print(f"| {ENDPOINT[e]} | **{med(yh):.2f}** [{spread(yh)}] | {f'{med(bh):.2f} [{spread(bh)}]' if bh else na} | "
              f"{f'{med(yb):.2f} [{spread(yb)}]' if yb else na} | {med(yd):.2f} [{spread(yd)}] | "
              f"{med(hd):.2f} [{spread(hd)}] | {med(cpu):.1f}× [{spread(cpu)}] | {f'{med(bcpu):.1f}×' if bcpu else na} |")
print()

# 3. latency
print(f"**Added latency at a moderate pace** (wrk `-t2 -c8`, each connection waits {pace} ms between requests; "
      f"differences to direct taken per round)\n")
print("| endpoint | target | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms |")
print("|---|---|---:|---:|---:|---:|---:|")
for e in ["static", "profile"]:
    for t in ["direct", "yarp1", "haproxy1"]:
        rs = cell[("latency", e, t)]
        if not rs:
            continue
        add50 = add99 = "–"
        if t != "direct":
            d50 = paired("latency", e, t, "direct", lambda a, b: f(a, "p50_ms") - f(b, "p50_ms"))
            d99 = paired("latency", e, t, "direct", lambda a, b: f(a, "p99_ms") - f(b, "p99_ms"))
            add50 = f"{med(d50):+.2f} [{spread(d50)}]"
            add99 = f"{med(d99):+.2f} [{spread(d99)}]"
        print(f"| {ENDPOINT[e]} | {NAME[t]} | {med([f(r, 'rps') for r in rs]):.0f} | {med([f(r, 'p50_ms') for r in rs]):.2f} | "
              f"{med([f(r, 'p99_ms') for r in rs]):.2f} | {add50} | {add99} |")
print()

# 4. open loop
opens = {}
for t in ["direct", "yarp1", "haproxy1"]:
    p = os.path.join(out, f"open-loop-{t}.json")
    if os.path.exists(p):
        opens[t] = json.load(open(p))
if opens:
    print(f"**Open loop, `scalegram bench --workload read-heavy --rate {open_rate} --duration 15s`** (one run each, "
          f"latency from the scheduled send time)\n")
    print("| target | achieved req/s | errors | p50 ms | p99 ms | added p50 ms | added p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    base = opens.get("direct")
    for t, j in opens.items():
        lat = j["latency"]
        add = ("–", "–") if t == "direct" or not base else (
            f"{lat['p50'] - base['latency']['p50']:+.2f}", f"{lat['p99'] - base['latency']['p99']:+.2f}")
        print(f"| {NAME[t]} | {j['rateAchieved']:.1f} | {j['errors']} | {lat['p50']:.2f} | {lat['p99']:.2f} | {add[0]} | {add[1]} |")
    print()

# 2. scale-out
print("**1, 2, 3 web nodes behind the YARP lb (closed loop), and HAProxy with 3**\n")
print("| endpoint | setup | req/s | × 1 node | CPU ms/1k req: LB | nodes | wrk | all | machine busy (cores) |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
est = {}
for e in ["static", "profile"]:
    for t in ["yarp1", "yarp2", "yarp3", "haproxy3"]:
        rs = cell[("scale", e, t)]
        if not rs:
            continue
        x = paired("scale", e, t, "yarp1", lambda a, b: f(a, "rps") / f(b, "rps"))
        lb, nodes, wrk = (med([cpu_cols(r, t)[i] for r in rs]) for i in range(3))
        busy = med([f(r, "machine_busy_ms") / 1000 / f(r, "wall_s") for r in rs])
        print(f"| {ENDPOINT[e]} | {NAME[t]} | {med([f(r, 'rps') for r in rs]):.0f} | {med(x):.2f} | {lb:.0f} | {nodes:.0f} | "
              f"{wrk:.0f} | {lb + nodes + wrk:.0f} | {busy:.2f} |")
        est[(e, t)] = (lb, nodes, wrk, med([f(r, "rps") for r in rs]))
print()
print("**What more machines would buy** (estimate from CPU per request above: a process can do at most "
      f"cores × 1000 / (its CPU ms per request) requests/s; today LB, nodes and wrk share {cores} cores)\n")
print("| endpoint | today, one machine (measured, YARP → 3) | LB alone on its own 2 cores | nodes on a 2nd machine, 2 cores | nodes with 4 cores |")
print("|---|---:|---:|---:|---:|")
for e in ["static", "profile"]:
    if (e, "yarp3") not in est:
        continue
    lb, nodes, wrk, rps = est[(e, "yarp3")]
    print(f"| {ENDPOINT[e]} | {rps:.0f} | {cores * 1e6 / lb:.0f} | {cores * 1e6 / nodes:.0f} | {2 * cores * 1e6 / nodes:.0f} |")
print()

# noise
other = [f(r, "other_cpu_ms") / 1000 / f(r, "wall_s") for r in rows]
cv = []
for key, rs in cell.items():
    if len(rs) > 1 and key[0] != "latency":
        xs = [f(r, "rps") for r in rs]
        cv.append((max(xs) - min(xs)) / med(xs))
load = open("/proc/loadavg").read().split()[:3]
print(f"**Noise**: other processes on the machine took a median {med(other):.2f} cores (max {max(other):.2f}) "
      f"of the {cores} during the runs; the spread of req/s between rounds of one cell, (max − min) / median, "
      f"was median {med(cv) * 100:.0f} % (max {max(cv or [float('nan')]) * 100:.0f} %). Load average at the end: {' '.join(load)}. "
      f"Errors in all runs: {sum(int(r['errors']) for r in rows)}.")
