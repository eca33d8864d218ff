#!/usr/bin/env python3
"""The crash figure as supervisor_bench.py takes it, alone: a target (sabot or limit) with N programs,
K SIGKILLs 50 ms apart starting 1 s after the cold start, each after the one before has restarted;
prints the p50 of the first 20 and of all, and every latency (ms).
  python3 bench/first_kills.py sabot|limit N K      (SABOT_CMD gives Sabot's launcher; work dir /tmp/first-kills-KIND)
"""
import os, sys, time, signal, statistics, shutil
src = open("/work/shared/bench/supervisor_bench.py").read().split("if __name__")[0]
sb = type(sys)("sb"); exec(compile(src, "sb", "exec"), sb.__dict__)
kind, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]); work = "/tmp/first-kills-" + kind
shutil.rmtree(work, ignore_errors=True); os.makedirs(work)
t = {"sabot": sb.Sabot, "limit": sb.Limit}[kind](work, n); t.up(); t.wait_counts({x: 1 for x in t.names})
lat = []
try:
    time.sleep(1.0)
    for i in range(k):
        name = t.names[i % n]; before = len(t.lines(name)); pid = t.pid_of(name)
        kk = sb.now_ns(); os.kill(pid, signal.SIGKILL); t0 = time.time()
        while len(t.lines(name)) <= before and time.time() - t0 < 10: time.sleep(0.0005)
        lat.append((t.lines(name)[-1] - kk) / 1e6); time.sleep(0.05)
    print("p50 first20 %.2f  all %.2f  seq %s" % (statistics.median(lat[:20]), statistics.median(lat), [round(x, 1) for x in lat]), flush=True)
finally:
    t.down()
    for x in t.names:  # this run's programs only, by the pid each wrote
        pid = t.pid_of(x)
        if pid:
            try: os.kill(pid, signal.SIGKILL)
            except ProcessLookupError: pass
