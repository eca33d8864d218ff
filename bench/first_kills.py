#!/usr/bin/env python3
"""The crash figure as supervisor_bench.py takes it, alone: a target (sabot or limit) with N programs,
K SIGKILLs 50 ms apart starting 1 s after the cold start, each after the one before has restarted;
prints the p50 of the first 20 and of all, and every latency (ms).
  python3 bench/first_kills.py sabot|limit N K      (SABOT_CMD gives Sabot's launcher; work dir /tmp/first-kills-KIND)
"""
import os, sys, time, statistics, shutil
from bench_kills import load_bench, kills, down
sb = load_bench()
kind, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]); work = "/tmp/first-kills-" + kind
shutil.rmtree(work, ignore_errors=True); os.makedirs(work)
t = {"sabot": sb.Sabot, "limit": sb.Limit}[kind](work, n); t.up(); t.wait_counts({x: 1 for x in t.names})
try:
    time.sleep(1.0)
    lat = kills(sb, t, k)
    print("p50 first20 %.2f  all %.2f  seq %s" % (statistics.median(lat[:20]), statistics.median(lat), [round(x, 1) for x in lat]), flush=True)
finally:
    down(t)
