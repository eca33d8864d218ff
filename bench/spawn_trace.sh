#!/bin/sh
# Where a crash's respawn spends its time, from kernel tracepoints (issue 13): a daemon with N agents
# (as supervisor_bench.py deploys them), 10 SIGKILLs of agents, `perf record -a` of the sched and
# syscall tracepoints meanwhile; prints the spawned child's time from clone3 to execve (what
# posix_spawn's child spends before exec: copying and closing the descriptors it inherited).
#   sh bench/spawn_trace.sh 1000 [JAR]      (needs perf and root; writes into a temp folder)
set -e
N=${1:-1000}; JAR=$(readlink -f "${2:-target/sabot.jar}"); W=$(mktemp -d)
mkdir -p "$W/w"
SABOT_CMD="java -jar $JAR" python3 "$(dirname "$0")/sigkill_loop.py" sabot "$N" "$W" > "$W/out" 2>&1 &
until grep -q supervisor "$W/out" 2>/dev/null; do sleep 0.2; done
SUP=$(awk '/supervisor/ {print $2}' "$W/out"); echo "daemon $SUP fds $(ls /proc/"$SUP"/fd | wc -l)"
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
