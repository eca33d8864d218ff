#!/usr/bin/env python3
"""A minimal Sabot agent speaking the line protocol (docs/architecture.md), standard library only."""
import json, os, signal, sys, threading, time

lock, state, done = threading.Lock(), threading.Lock(), threading.Event()
parts, topic = {}, {}                  # parts: partition -> next offset; guarded by state

def send(**msg):                       # agent -> engine: "@sabot {json}" lines on stdout
    with lock: print("@sabot " + json.dumps(msg), flush=True)

def read_stdin():                      # engine -> agent: one JSON object per line on stdin
    for line in sys.stdin:
        try: m = json.loads(line); t = m.get("type")
        except (ValueError, AttributeError): continue           # ignore garbage
        with state:
            if t == "assign":
                topic.update(name=m["topic"], rate=m["rate"], origin=m["originEpochMs"])
                parts.update({p["partition"]: p["offset"] for p in m["partitions"]})
            elif t == "revoke":
                for p in m["partitions"]: send(type="commit", topic=m["topic"], partition=p, offset=parts.pop(p, 0))
            elif t == "drain": break
            if t in ("assign", "revoke"): send(type="ack", op=t, epoch=m["epoch"])
    done.set()                         # drain, or stdin EOF (the engine is gone): exit

# SIGTERM: drain too. Waited for on a thread, never handled: a Python handler that calls done.set()
# can run while the main thread holds done's own lock inside done.wait() and hang there for good.
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
threading.Thread(target=lambda: (signal.sigwait({signal.SIGTERM}), done.set()), daemon=True).start()
send(type="ready")
threading.Thread(target=read_stdin, daemon=True).start()
processed, period = 0, int(os.environ.get("SABOT_HEARTBEAT_MS", "1000")) / 1000
while not done.wait(period):
    hw = int((time.time() * 1000 - topic.get("origin", 0)) / 1000 * topic.get("rate", 0))
    before = processed
    with state:
        for p, offset in parts.items():                         # "process" what is available, commit
            if hw > offset:
                parts[p], processed = hw, processed + hw - offset
                send(type="commit", topic=topic["name"], partition=p, offset=hw)
        lag = sum(max(0, hw - o) for o in parts.values())
    send(type="heartbeat", rate=(processed - before) / period, lag=lag, processed=processed)
with state:                                                      # drain: commit all, drained, exit 0
    for p, offset in parts.items(): send(type="commit", topic=topic["name"], partition=p, offset=offset)
send(type="drained")
