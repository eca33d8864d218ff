#!/usr/bin/env python3
"""Per-thread CPU of a `sabot daemon` during `agents restart --all` of N agents (issue 13).

Deploys N agents exactly as /work/shared/bench/supervisor_bench.py does, starts them, then runs
`restart --all` ROUNDS times and prints, per round: when the last agent wrote its new start line,
when the CLI returned, and the CPU each daemon thread used meanwhile (from
/proc/PID/task/*/schedstat, in ms; digits in thread names folded). Children's CPU is not counted.

  python3 bench/bulk_cpu.py [-n 1000] [--rounds 2] [--jar target/sabot.jar] [--java-opts "-Dsabot.journal.lingerMs=0"]
"""
import argparse, importlib.util, os, re, shutil, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("-n", type=int, default=1000)
ap.add_argument("--rounds", type=int, default=2)
ap.add_argument("--jar", default="target/sabot.jar")
ap.add_argument("--java-opts", default="")
ap.add_argument("--bench", default="/work/shared/bench/supervisor_bench.py")
a = ap.parse_args()
src = open(a.bench).read().split("if __name__")[0]
sb = type(sys)("sb"); exec(compile(src, a.bench, "exec"), sb.__dict__)
os.environ["SABOT_CMD"] = " ".join(["java"] + a.java_opts.split() + ["-jar", os.path.abspath(a.jar)])
work = tempfile.mkdtemp(prefix="sabot-bulk-")

def ticks(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            s = open(f"/proc/{pid}/task/{tid}/stat").read(); name = s[s.index("(") + 1:s.rindex(")")]
            out[tid] = (re.sub(r"\d+", "N", name), int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0]))
        except (OSError, ValueError):
            pass
    return out

t = sb.Sabot(work, a.n); t0 = t.up(); t.wait_counts({x: 1 for x in t.names})
print("cold start %.3f s" % ((max(t.lines(x)[0] for x in t.names) - t0) / 1e9), flush=True)
time.sleep(5)
pid = t.proc.pid
try:
    for r in range(a.rounds):
        before = ticks(pid); want = {x: len(t.lines(x)) + 1 for x in t.names}
        b0 = sb.now_ns(); t.restart_all(); cli = (sb.now_ns() - b0) / 1e9; t.wait_counts(want)
        last = (max(t.lines(x)[-1] for x in t.names) - b0) / 1e9
        after = ticks(pid); by = {}
        for tid, (name, ns) in after.items(): by[name] = by.get(name, 0) + ns - before.get(tid, (name, 0))[1]
        print("restart-all: last start %.3f s, CLI returned %.3f s, daemon CPU %.0f ms" % (last, cli, sum(by.values()) / 1e6))
        for name, ns in sorted(by.items(), key=lambda x: -x[1])[:12]: print("  %-28s %7.0f ms" % (name, ns / 1e6))
        time.sleep(3)
finally:
    t.down()
    shutil.rmtree(work, ignore_errors=True)
