#!/bin/sh
# Where a crash's respawn spends its time, from kernel tracepoints (issue 13): a daemon with N agents
# (as supervisor_bench.py deploys them), 10 SIGKILLs of agents, `perf record -a` of the sched and
# syscall tracepoints meanwhile; prints the spawned child's time from clone3 to execve (what
# posix_spawn's child spends before exec: copying and closing the descriptors it inherited).
#   sh bench/spawn_trace.sh 1000 [JAR]      (needs perf and root; writes into a temp folder)
set -e
N=${1:-1000}; JAR=$(readlink -f "${2:-target/sabot.jar}"); W=$(mktemp -d)
cat > "$W/kill.py" <<'PY'
import os, sys, time, signal, statistics
src = open("/work/shared/bench/supervisor_bench.py").read().split("if __name__")[0]
sb = type(sys)("sb"); exec(compile(src, "sb", "exec"), sb.__dict__)
n = int(sys.argv[1]); work = sys.argv[2]; go = os.path.join(work, "go")
t = sb.Sabot(os.path.join(work, "w"), n); t.up(); t.wait_counts({x: 1 for x in t.names})
print("daemon", t.proc.pid, "fds", len(os.listdir(f"/proc/{t.proc.pid}/fd")), flush=True)
while not os.path.exists(go): time.sleep(0.05)
lat = []
try:
    for i in range(10):
        name = t.names[(i * 37) % n]; before = len(t.lines(name)); pid = t.pid_of(name)
        k = sb.now_ns(); os.kill(pid, signal.SIGKILL); t0 = time.time()
        while len(t.lines(name)) <= before and time.time() - t0 < 10: time.sleep(0.0005)
        lat.append((t.lines(name)[-1] - k) / 1e6); time.sleep(0.1)
    print("SIGKILL -> next start p50 %.2f ms" % statistics.median(lat), flush=True)
finally:
    t.down()
PY
mkdir -p "$W/w"
SABOT_CMD="java -jar $JAR" python3 "$W/kill.py" "$N" "$W" > "$W/out" 2>&1 &
until grep -q daemon "$W/out" 2>/dev/null; do sleep 0.2; done; cat "$W/out"
(sleep 1.5; touch "$W/go") &
perf record -q -a -o "$W/perf.data" -e 'sched:sched_process_exec,syscalls:sys_exit_clone3,syscalls:sys_enter_execve' -- sleep 5
wait; tail -1 "$W/out"
perf script -i "$W/perf.data" -F comm,tid,time,event 2>/dev/null | python3 -c '
import re, sys
spawned = {}; d = []
for l in sys.stdin:
    m = re.match(r"\s*(.+?)\s+(\d+)\s+([\d.]+):\s+(\S+):", l)
    if not m: continue
    comm, tid, t, ev = m.group(1), m.group(2), float(m.group(3)), m.group(4)
    if ev.endswith("sys_exit_clone3") and comm.startswith("sabot"): spawned.setdefault(tid, t)
    if ev.endswith("sys_enter_execve") and tid in spawned: d.append((t - spawned.pop(tid)) * 1000)
d.sort()
if d: print("child clone3 -> execve: %d spawns, p50 %.3f ms, min %.3f, max %.3f" % (len(d), d[len(d) // 2], d[0], d[-1]))'
rm -rf "$W"
