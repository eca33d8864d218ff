#!/bin/sh
# Where a crash's respawn spends its time, stage by stage, from kernel tracepoints (issue 13): a
# target of supervisor_bench.py (sabot or limit) with N programs, 10 SIGKILLs, `perf record -a` of
# the signal, exit, wake-up, clone and exec tracepoints meanwhile. For each kill it follows the
# chain: kill -> the victim's exit -> the supervisor's threads as they wake and run -> clone3 of the
# new child -> its execve of /bin/sh; prints the median of each step.
#   sh bench/crash_trace.sh sabot 100 [JAR]     sh bench/crash_trace.sh limit 100
# (needs perf and root; writes into a temp folder it removes)
set -e
KIND=${1:-sabot}; N=${2:-100}; JAR=$(readlink -f "${3:-target/sabot.jar}"); W=$(mktemp -d)
mkdir -p "$W/w"
SABOT_CMD="java -jar $JAR" python3 "$(dirname "$0")/sigkill_loop.py" "$KIND" "$N" "$W" 1.0 > "$W/out" 2>&1 &
until grep -q supervisor "$W/out" 2>/dev/null; do sleep 0.2; done
SUP=$(awk '/supervisor/ {print $2}' "$W/out")
(sleep 1; touch "$W/go") &
perf record -q -a -o "$W/perf.data" -e 'signal:signal_generate,sched:sched_process_exit,sched:sched_wakeup,sched:sched_switch,syscalls:sys_exit_clone3,sched:sched_process_exec' -- sleep 5 2>/dev/null
wait; tail -1 "$W/out"
perf script -i "$W/perf.data" -F comm,pid,tid,time,event,trace 2>/dev/null | SUP=$SUP python3 -c '
import os, re, sys, statistics
sup = os.environ["SUP"]
ev = []
for l in sys.stdin:
    m = re.match(r"\s*(.+?)\s+(\d+)/(\d+)\s+([\d.]+):\s+(\S+):\s*(.*)", l)
    if m: ev.append((float(m.group(4)) * 1000, m.group(1), m.group(2), m.group(3), m.group(5).split(":")[-1], m.group(6)))
ev.sort()
steps, chains = {}, []
for i, (t, comm, pid, tid, name, rest) in enumerate(ev):
    if name != "signal_generate" or "sig=9 " not in rest or pid == sup: continue
    victim = re.search(r" pid=(\d+)", rest).group(1)
    j = next((k for k in range(i, len(ev)) if ev[k][4] == "sched_process_exit" and ev[k][3] == victim), None)
    if j is None: continue
    t_exit = ev[j][0]; steps.setdefault("kill -> the victim exits", []).append(t_exit - t)
    seen, chain = set(), []
    for e in ev[j:]:
        if e[2] == sup and e[3] not in seen:  # a supervisor thread runs for the first time after the exit
            seen.add(e[3]); chain.append("%s +%.3f" % (e[1], e[0] - t_exit))
        r = re.search(r"(0x[0-9a-f]+)$", e[5].strip()) if e[4] == "sys_exit_clone3" and e[2] == sup else None
        if r and int(r.group(1), 16) > 0:
            steps.setdefault("exit -> clone3 of the new child returns", []).append(e[0] - t_exit)
            cpid = str(int(r.group(1), 16))
            x = next((x for x in ev if x[0] >= e[0] - 1 and x[4] == "sched_process_exec" and (" pid=" + cpid + " ") in (" " + x[5] + " ")), None)
            if x: steps.setdefault("clone3 -> the child execs", []).append(x[0] - e[0])
            break
    chains.append(chain)
for k, v in steps.items():
    v.sort(); print("  %-42s p50 %.3f ms  (min %.3f, max %.3f, n %d)" % (k, statistics.median(v), v[0], v[-1], len(v)))
for c in chains[3:6]: print("  threads of the supervisor in order after the exit (ms):", ", ".join(c[:6]))
'
rm -rf "$W"
