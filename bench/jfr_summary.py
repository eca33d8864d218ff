#!/usr/bin/env python3
"""Execution samples of a JFR recording grouped by thread and by the first project frame.

  python3 bench/jfr_summary.py REC.jfr [--jfr /usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr]
"""
import argparse, collections, json, re, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument("rec")
ap.add_argument("--jfr", default="jfr")
ap.add_argument("--top", type=int, default=25)
ap.add_argument("--thread", help="also: methods on the stacks of this thread (digits as N), by samples")
ap.add_argument("--depth", type=int, default=40)
a = ap.parse_args()
out = subprocess.run([a.jfr, "print", "--json", "--events", "jdk.ExecutionSample", a.rec], capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]
by_thread, by_frame, by_pkg, stacks = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
for e in events:
    v = e["values"]
    t = (v.get("sampledThread") or {}).get("javaName") or "?"
    by_thread[re.sub(r"\d+", "N", t)] += 1
    frames = (v.get("stackTrace") or {}).get("frames") or []
    names = [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".") for f in frames]
    own = next((n for n in names if n.startswith("io.sabot") and "$$Lambda" not in n), names[0] if names else "?")
    by_frame[own] += 1
    if a.thread and re.sub(r"\d+", "N", t) == a.thread:
        for n_ in names[:a.depth]: stacks[n_] += 1
    leaf = names[0] if names else "?"
    by_pkg[leaf] += 1
n = len(events)
print(f"{n} execution samples")
for title, c in (("thread", by_thread), ("first io.sabot frame (else the leaf)", by_frame), ("leaf method", by_pkg)) + ((("on " + str(a.thread) + "'s stacks", stacks),) if a.thread else ()):
    print(f"\n| {title} | samples | % |\n| --- | ---: | ---: |")
    for k, m in c.most_common(a.top): print(f"| {k} | {m} | {100 * m / n:.1f} |")
