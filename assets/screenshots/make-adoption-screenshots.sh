#!/usr/bin/env bash
# Screenshots of the adoption features (docs/adoption.md) from the real app, driven with xdotool
# under a virtual display: the probe settings of an agent with an HTTP readiness and a TCP
# liveness probe, and a trace search with the critical path of the trace it found. A daemon runs
# adoption-demo-spec.json (the demo fleet plus an HTTP server agent and a log-gated one); a
# rolling restart gives the search something to find. Needs xvfb-run (or DISPLAY), xdotool and
# ImageMagick's import. The import report (import-report.png) is `sabot console --open FILE` on
# src/test/resources/io/sabot/importer/process-compose/process-compose.yaml, "Mapped approximately".
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${DISPLAY:-}" ]; then exec xvfb-run -a -s '-screen 0 1600x1000x24' "$0" "$@"; fi
OUT=assets/screenshots
WORK=$(mktemp -d)
# a copy: rebuilding target/ while these JVMs run would pull classes from under them
cp "${JAR:-target/sabot.jar}" "$WORK/sabot.jar"
JAR=$WORK/sabot.jar
H=$WORK/home
mkdir -p "$H"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed "s/@PORT@/$PORT/g" "$OUT/adoption-demo-spec.json" > "$WORK/spec.json"
sabot() { java -jar "$JAR" "$@" --home "$H"; }
java -jar "$JAR" daemon --home "$H" 2>"$WORK/daemon.err" &
DAEMON=$!
CONSOLE=
stop() { # TERM, then up to $2 seconds for it to go, then KILL
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq $(( $2 * 5 ))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
  if [ -n "$CONSOLE" ]; then stop "$CONSOLE" 15; fi
  stop "$DAEMON" 60
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 150); do sabot agents status >/dev/null 2>&1 && break; sleep 0.2; done
sabot agents deploy "$WORK/spec.json" >/dev/null
sabot agents start --all >/dev/null
sleep 3
sabot agents restart fraud_detector --rolling >/dev/null
sabot agents restart api >/dev/null
# the whole screen at 0,0 (no window manager to place it), the detail pane wide enough for two columns of fields
echo '{"x":0,"y":0,"width":1600,"height":1000,"maximized":false,"view":"agents","theme":"light","detailDivider":0.53}' > "$H/console.json"
java -jar "$JAR" console --home "$H" 2>"$WORK/console.err" &
CONSOLE=$!
WIN=$(xdotool search --sync --name '^Sabot' | head -1)
sleep 6
at() { xdotool mousemove "$1" "$2"; shift 2; if [ $# -gt 0 ]; then xdotool "$@"; fi; }
[ -n "${SHOT_DEBUG:-}" ] && import -window root "$SHOT_DEBUG/0.png"

# probe settings: the api row, its Spec tab, scrolled down to the probes
at 129 371 click 1; sleep 1
xdotool key alt+4; sleep 2
[ -n "${SHOT_DEBUG:-}" ] && import -window root "$SHOT_DEBUG/1.png"
at 1350 650; for _ in $(seq 14); do xdotool click 5; done; sleep 1
import -window "$WIN" "$OUT/probe-settings.png"

# trace search: the traces view, Ctrl+F into the search, an instance, Enter; the newest match
# (the restart of api-0, whose critical path is its readiness probe) opened
xdotool key ctrl+3; sleep 1
xdotool key ctrl+f; xdotool type --delay 40 api-0; xdotool key Return; sleep 3
[ -n "${SHOT_DEBUG:-}" ] && import -window root "$SHOT_DEBUG/2.png"
at 170 252 click 1; sleep 3
import -window "$WIN" "$OUT/trace-search.png"
echo "wrote $OUT/probe-settings.png $OUT/trace-search.png"
