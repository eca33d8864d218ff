#!/usr/bin/env bash
# Regenerates the README screenshots from the real app: a daemon runs the demo fleet, a bulk
# restart and one killed instance give the trace timeline and partition map something to show,
# then the console attaches to the daemon and renders each view. Needs xvfb-run and GTK 3.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${JAR:-target/sabot.jar}
OUT=assets/screenshots
HOME_DIR=$(mktemp -d)
sabot() { java -jar "$JAR" "$@" --home "$HOME_DIR"; }
java -jar "$JAR" daemon --home "$HOME_DIR" 2>"$HOME_DIR/daemon.err" &
DAEMON=$!
trap 'kill -TERM $DAEMON 2>/dev/null; wait $DAEMON 2>/dev/null; rm -rf "$HOME_DIR"' EXIT
for _ in $(seq 100); do sabot agents status >/dev/null 2>&1 && break; sleep 0.1; done
sabot agents deploy assets/demo-fleet.json >/dev/null
sabot agents start --all >/dev/null
sleep 4
sabot agents restart --all >/dev/null
sleep 3
victim=$(sabot agents status fraud_detector-1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["pid"])')
kill -KILL "$victim"
sleep 4
for view in agents partitions traces events; do
  xvfb-run -a -s '-screen 0 1600x1000x24' java -jar "$JAR" console --home "$HOME_DIR" \
    --screenshot "$OUT/$view.png" --view "$view" --after 5 2>/dev/null
done
xvfb-run -a -s '-screen 0 1600x1000x24' java -jar "$JAR" console --home "$HOME_DIR" \
  --screenshot "$OUT/agents-dark.png" --view agents --after 5 --dark 2>/dev/null
# the smallest supported window with the spec form open (issue 19: nothing cut off at 1280x800)
xvfb-run -a -s '-screen 0 1600x1000x24' java -jar "$JAR" console --home "$HOME_DIR" \
  --screenshot "$OUT/agents-spec-1280x800.png" --view agents --tab spec --size 1280x800 --after 5 2>/dev/null
