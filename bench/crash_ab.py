#!/usr/bin/env python3
"""A/B of the crash path on a shared machine: two daemons (jars A and B) up at once, 100 agents
each (as supervisor_bench.py deploys them), SIGKILLs interleaved A, B, A, B... so both see the
same load; prints p50/p95 of SIGKILL -> the new process's start line for each.

  python3 bench/crash_ab.py A.jar B.jar [KILLS]     (work dirs under /tmp/eff/tmp; run it twice, swapped)
"""
import os, sys, time, signal, statistics, json
sys.path.insert(0, "/work/shared/bench")
import supervisor_bench as sb
jars = sys.argv[1:3]; kills = int(sys.argv[3]) if len(sys.argv) > 3 else 40
ts = []
try:
    for k, jar in enumerate(jars):
        os.environ["SABOT_CMD"] = f"java -jar {jar}"
        w = f"/tmp/eff/tmp/ab-{k}"; os.makedirs("/tmp/eff/tmp", exist_ok=True); import shutil; shutil.rmtree(w, ignore_errors=True); os.makedirs(w)
        t = sb.Sabot(w, 100); t.up(); ts.append(t)
        assert t.wait_counts({x: 1 for x in t.names})
    time.sleep(5)
    lat = [[], []]
    for i in range(kills):
        for k, t in enumerate(ts):
            name = t.names[i % 100]; before = len(t.lines(name)); pid = t.pid_of(name)
            if pid is None: continue
            kt = sb.now_ns(); os.kill(pid, signal.SIGKILL); t0 = time.time()
            while len(t.lines(name)) <= before and time.time() - t0 < 10: time.sleep(0.0005)
            if len(t.lines(name)) > before: lat[k].append((t.lines(name)[-1] - kt) / 1e6)
            time.sleep(0.05)
    for k, jar in enumerate(jars):
        l = sorted(lat[k])
        print(json.dumps({"jar": jar, "n": len(l), "p50": round(statistics.median(l), 2), "p95": round(l[int(0.95 * (len(l) - 1))], 2),
                          "load": open("/proc/loadavg").read().split()[:3]}))
finally:
    for t in ts:
        try: t.down()
        except Exception as e: print("down:", e)
        for x in t.names:
            try:
                with open(os.path.join(t.starts, x)) as f:
                    for line in f:
                        try: os.kill(int(line.split()[1]), signal.SIGKILL)
                        except (ProcessLookupError, ValueError, IndexError): pass
            except FileNotFoundError: pass
