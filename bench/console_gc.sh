#!/bin/bash
# The console's frames and collector in bulk restarts (docs/benchmarks.md, "Console frames and the
# collector"): a daemon with 10 agents x 100 `sleep` instances, the packaged console attached to it
# on a private Xvfb display with its frame figures on (-Dsabot.console.stats) and a GC log, then
# three `sabot agents restart --all` with the FX probe on. Prints the console's RSS after the
# settle and at the end, and each restart's frame lines:
#   epochMs probeMaxMs probesOver50ms layoutMaxMs pulses layoutCpuMaxMs tickCpuMaxMs gcPauseMaxMs
# Usage: bench/console_gc.sh            (after mvn -q -B -o package -DskipTests)
#   EXTRA="-XX:..." adds JVM flags to the console (after its own: they win); SETTLE=s (default 40);
#   JFR=1 records the console JVM with settings=profile during the restarts (OUT/console.jfr).
# Everything it starts is stopped by PID on exit; the work directory (OUT) is kept for its logs.
set -u
cd "$(dirname "$0")/.."
JAR=$PWD/target/sabot.jar
OUT=$(mktemp -d /tmp/sabot-console-gc.XXXXXX)
export SABOT_HOME=$OUT/home
mkdir -p "$SABOT_HOME"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

java -jar "$JAR" daemon > "$OUT/daemon.log" 2>&1 & DPID=$!
for _ in $(seq 150); do java -jar "$JAR" agents status >/dev/null 2>&1 && break; sleep 0.2; done
python3 -c 'import json; print(json.dumps({"agents":[{"name":f"sleeper{i}","command":["sleep","100000"],"concurrency":100,"stopGraceMs":2000} for i in range(10)]}))' > "$OUT/spec.json"
java -jar "$JAR" agents deploy "$OUT/spec.json" >/dev/null && java -jar "$JAR" agents start --all --timeout 120 >/dev/null

exec 3< <(Xvfb -displayfd 1 -screen 0 1600x1000x24 -nolisten tcp 2>/dev/null & echo "pid $!")
read -r _ XPID <&3; read -r DISP <&3
PIDS=("$XPID")
DISPLAY=":$DISP" java ${EXTRA:-} -Xlog:gc*,safepoint:file="$OUT/gc.log" -Dsabot.console.stats="$OUT/frames.txt" \
    -jar "$JAR" console --home "$SABOT_HOME" > "$OUT/console.log" 2>&1 & CPID=$!
for _ in $(seq 300); do [ -f "$OUT/frames.txt" ] && break; sleep 0.2; done
sleep "${SETTLE:-40}"
KID=$(pgrep -P "$CPID" java | head -1)   # the tuned console JVM, the launcher's child
PIDS=("$KID" "$CPID" "$DPID" "$XPID")
echo "RSS after settle: $(grep VmRSS "/proc/$KID/status")"
[ -n "${JFR:-}" ] && jcmd "$KID" JFR.start name=bench settings=profile >/dev/null
threads() { for f in /proc/"$KID"/task/*; do printf '%s %s\n' "$(tr ' ' _ < "$f/comm")" "$(cut -d' ' -f1,2 "$f/schedstat")"; done; }
for round in 1 2 3; do
    touch "$OUT/frames.txt.run"; sleep 2
    threads > "$OUT/threads.0"
    t0=$(date +%s%3N); java -jar "$JAR" agents restart --all --timeout 300 >/dev/null; t1=$(date +%s%3N)
    sleep 5; rm -f "$OUT/frames.txt.run"
    threads > "$OUT/threads.1"
    echo "round $round: restart took $((t1 - t0)) ms (from $t0); the console's threads meanwhile (ms of CPU, ms waiting for a core):"
    awk 'NR==FNR { c[$1]+=$2; w[$1]+=$3; next } { c[$1]-=$2; w[$1]-=$3 } END { for (k in c) if (c[k] > 5e6) printf "    %s %.0f %.0f\n", k, c[k]/1e6, w[k]/1e6 }' "$OUT/threads.1" "$OUT/threads.0" | sort -k2 -rn | head -8
    awk -v a="$t0" -v b="$((t1 + 6000))" '$1 >= a && $1 <= b' "$OUT/frames.txt"
    sleep 3
done
[ -n "${JFR:-}" ] && jcmd "$KID" JFR.dump name=bench filename="$OUT/console.jfr" >/dev/null
echo "RSS at end: $(grep VmRSS "/proc/$KID/status")"
echo "longest GC pauses:"; grep -E "Pause.*ms$" "$OUT/gc.log" | awk '{print $NF, $0}' | sort -rn | head -3 | cut -d' ' -f2-
echo "logs: $OUT"
