#!/usr/bin/env python3
"""SIGKILLs for the tracing scripts (bench/crash_trace.sh, bench/spawn_trace.sh): starts a target of
supervisor_bench.py (sabot or limit) with N programs in WORK/w, prints "supervisor PID", waits for the
file WORK/go, then (after SETTLE seconds) kills 10 programs 0.1 s apart, each after the one before
has restarted, prints the p50 of SIGKILL -> next start, and stops the target.
  python3 bench/sigkill_loop.py KIND N WORK [SETTLE]   (SABOT_CMD gives Sabot's launcher)
"""
import os, sys, time, signal, statistics
src = open("/work/shared/bench/supervisor_bench.py").read().split("if __name__")[0]
sb = type(sys)("sb"); exec(compile(src, "sb", "exec"), sb.__dict__)
kind, n, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]; go = os.path.join(work, "go")
settle = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
t = {"sabot": sb.Sabot, "limit": sb.Limit}[kind](os.path.join(work, "w"), n); t.up(); t.wait_counts({x: 1 for x in t.names})
print("supervisor", t.sup_pid(), flush=True)
while not os.path.exists(go): time.sleep(0.05)
lat = []
try:
    time.sleep(settle)
    for i in range(10):
        name = t.names[(i * 37) % n]; before = len(t.lines(name)); pid = t.pid_of(name)
        k = sb.now_ns(); os.kill(pid, signal.SIGKILL); t0 = time.time()
        while len(t.lines(name)) <= before and time.time() - t0 < 10: time.sleep(0.0005)
        lat.append((t.lines(name)[-1] - k) / 1e6); time.sleep(0.1)
    print("SIGKILL -> next start p50 %.2f ms" % statistics.median(lat), flush=True)
finally:
    t.down()
