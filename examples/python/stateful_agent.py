#!/usr/bin/env python3
"""A stateful Sabot agent (docs/state.md), standard library only: a running count of the records of
each partition, kept under SABOT_STATE_DIR so it survives crashes and partition moves.

Per partition, store "counts" keeps an append-only log of "endOffset count" lines. The rule that
makes it exact: the state reaches an offset (a line is written) before that offset is committed;
on assign, the state is restored to the assigned offset (the last line not past it; lines past it
are cut off, since that input is processed again)."""
import fcntl, json, os, signal, sys, threading, time

STORE = "counts"
STATE_DIR = os.environ.get("SABOT_STATE_DIR")          # absent: no "state" in the spec, counts die with us
lock, state, done = threading.Lock(), threading.Lock(), threading.Event()
parts, topic = {}, {}                  # parts: partition -> {"offset", "count", "log", "lock"}; guarded by state

def send(**msg):
    with lock: print("@sabot " + json.dumps(msg), flush=True)

def restore(name, p, offset):
    """The count of the input below offset; the log keeps nothing past it."""
    part = {"offset": offset, "count": 0, "log": None, "lock": None}
    if STATE_DIR is None: return part
    d = os.path.join(STATE_DIR, STORE, "%s-%d" % (name, p))
    os.makedirs(d, exist_ok=True)
    part["lock"] = open(os.path.join(d, "LOCK"), "w")
    fcntl.flock(part["lock"], fcntl.LOCK_EX)          # one owner at a time: wait for the last one to go
    path = os.path.join(d, "changelog")
    lines = open(path).read().splitlines() if os.path.exists(path) else []
    keep = []
    for i, line in enumerate(lines):
        w = line.split()
        if len(w) != 2 or int(w[0]) > offset: break    # a torn line, or input not committed: cut off
        keep.append(line)
        part["count"] = int(w[1])
        if i % 1000 == 0: send(type="restore", store=STORE, topic=name, partition=p, restored=i, total=len(lines), done=False)
    tmp = path + ".tmp"
    with open(tmp, "w") as f: f.write("".join(l + "\n" for l in keep[-2:]))
    os.replace(tmp, path)                              # compacted: the last two states are enough
    part["log"] = open(path, "a")
    send(type="restore", store=STORE, topic=name, partition=p, restored=len(keep), total=len(keep), done=True,
         source="changelog" if keep else "empty", durationMs=0)
    return part

def close(part):
    if part["log"]: part["log"].close()
    if part["lock"]: part["lock"].close()            # releases the flock

def report():
    with state:
        stores = [dict(store=STORE, topic=topic.get("name", ""), partition=p, status="active", entries=1, bytes=16,
                       diskBytes=part["log"].tell() if part["log"] else 0, restored=0, restoreTotal=0) for p, part in parts.items()]
    if STATE_DIR: send(type="stores", stores=stores)

def read_stdin():
    for line in sys.stdin:
        try: m = json.loads(line); t = m.get("type")
        except (ValueError, AttributeError): continue
        with state:
            if t == "assign":
                topic.update(name=m["topic"], rate=m["rate"], origin=m["originEpochMs"])
                for p in m["partitions"]:
                    if p["partition"] in parts: close(parts.pop(p["partition"]))
                    parts[p["partition"]] = restore(m["topic"], p["partition"], p["offset"])  # before any record
            elif t == "revoke":
                for p in m["partitions"]:
                    part = parts.pop(p, None)
                    if part:
                        send(type="commit", topic=m["topic"], partition=p, offset=part["offset"])
                        close(part)
            elif t == "drain": break
            if t in ("assign", "revoke"): send(type="ack", op=t, epoch=m["epoch"])
        if t in ("assign", "revoke"): report()
    done.set()

signal.signal(signal.SIGTERM, lambda *_: done.set())
send(type="ready")
threading.Thread(target=read_stdin, daemon=True).start()
processed, period, beats = 0, int(os.environ.get("SABOT_HEARTBEAT_MS", "1000")) / 1000, 0
while not done.wait(period):
    hw = int((time.time() * 1000 - topic.get("origin", 0)) / 1000 * topic.get("rate", 0))
    before = processed
    with state:
        for p, part in parts.items():
            if hw > part["offset"]:
                part["count"] += hw - part["offset"]
                processed += hw - part["offset"]
                part["offset"] = hw
                if part["log"]: part["log"].write("%d %d\n" % (hw, part["count"])); part["log"].flush()  # state first,
                send(type="commit", topic=topic["name"], partition=p, offset=hw)                          # then the commit
        lag = sum(max(0, hw - part["offset"]) for part in parts.values())
    send(type="heartbeat", rate=(processed - before) / period, lag=lag, processed=processed)
    beats += 1
    if beats % 5 == 0: report()
with state:
    for p, part in parts.items():
        send(type="commit", topic=topic["name"], partition=p, offset=part["offset"])
        close(part)
send(type="drained")
