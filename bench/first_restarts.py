#!/usr/bin/env python3
"""The bench's restart of all, repeated: a target (sabot or limit) with N programs, a cold start, 20
SIGKILLs as supervisor_bench.py makes them, then ROUNDS restarts of all 3 s apart; prints each restart's
time (the CLI call to every program's new start line). Tells the first restart after a cold start (the
one the bench times) from later ones.
  python3 bench/first_restarts.py N sabot|limit [ROUNDS]     (SABOT_CMD gives Sabot's launcher)
"""
import os, sys, time, tempfile, shutil
from bench_kills import load_bench, kills, down
sb = load_bench()
n = int(sys.argv[1]); kind = sys.argv[2]; rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
os.environ.setdefault("SABOT_CMD", "java -jar " + os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "sabot.jar"))
work = tempfile.mkdtemp(prefix="sabot-restarts-")
t = {"sabot": sb.Sabot, "limit": sb.Limit}[kind](work, n); t.up(); t.wait_counts({x: 1 for x in t.names})
out = []
try:
    time.sleep(1)
    kills(sb, t, 20)
    time.sleep(1)
    for r in range(rounds):
        want = {x: len(t.lines(x)) + 1 for x in t.names}; b0 = sb.now_ns(); t.restart_all(); t.wait_counts(want)
        out.append((max(t.lines(x)[-1] for x in t.names) - b0) / 1e9); time.sleep(3)
    print(kind, " ".join("%.3f" % x for x in out), flush=True)
finally:
    down(t)
    shutil.rmtree(work, ignore_errors=True)
