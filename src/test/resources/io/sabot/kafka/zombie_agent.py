#!/usr/bin/env python3
# A protocol agent that commits after losing its partitions: every revoke is acked, then followed by
# a late commit of offset 5 for each revoked partition (what a slow or paused instance would send).
# On assign it commits max(offset, 100) for each partition it gets. The engine must refuse the late
# commits (the instance no longer holds the partitions) and never let them lower Kafka's offsets.
import json
import sys


def send(m):
    sys.stdout.write("@sabot " + json.dumps(m) + "\n")
    sys.stdout.flush()


send({"type": "ready"})
for line in sys.stdin:
    m = json.loads(line)
    t = m.get("type")
    if t == "assign":
        for p in m["partitions"]:
            send({"type": "commit", "topic": m["topic"], "partition": p["partition"], "offset": max(p["offset"], 100)})
        send({"type": "ack", "op": "assign", "epoch": m["epoch"]})
    elif t == "revoke":
        send({"type": "ack", "op": "revoke", "epoch": m["epoch"]})
        for p in m["partitions"]:
            send({"type": "commit", "topic": m["topic"], "partition": p, "offset": 5})
    elif t == "drain":
        send({"type": "drained"})
        break
