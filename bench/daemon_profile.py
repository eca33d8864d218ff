#!/usr/bin/env python3
"""Where a running `sabot daemon` spends its CPU, memory and threads.

Deploys N agents exactly as /work/shared/bench/supervisor_bench.py does
(`sh -c '...; exec sleep 100000'`, permanent, no backoff), starts them all through the CLI,
waits --settle seconds, then over --window seconds reads per-thread CPU from
/proc/PID/task/*/stat and prints it grouped by thread name (digits folded: sabot-out-p001 and
sabot-out-p002 are one row), with RSS, thread count, and `jcmd` facts (native memory by
category when the daemon runs with -XX:NativeMemoryTracking=summary, heap, class count).

  python3 bench/daemon_profile.py -n 100 --settle 30 --window 10 \
      [--java-opts=-XX:NativeMemoryTracking=summary] [--jfr 60] [--restart] [--jar target/sabot.jar]

--jfr records from just before `start --all` to the end of the window (then e.g.
`/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr view hot-methods REC`).

Every agent it started is killed by pid at the end (the daemon stops them; leftovers by pid).
"""
import argparse, json, os, re, shutil, signal, subprocess, sys, tempfile, time

def ticks(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f: s = f.read()
            name = s[s.index("(") + 1:s.rindex(")")]
            parts = s[s.rindex(")") + 2:].split()
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f: ss = [int(x) for x in f.read().split()]
            except (FileNotFoundError, ProcessLookupError, ValueError):
                ss = [0, 0, 0]
            out[tid] = (name, int(parts[11]) + int(parts[12]), ss[0], ss[2])
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    return out

def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        return int(next(l for l in f if l.startswith(key + ":")).split()[1])

def fold(name): return re.sub(r"\d+", "N", name)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--settle", type=float, default=30)
    ap.add_argument("--window", type=float, default=10)
    ap.add_argument("--jar", default="target/sabot.jar")
    ap.add_argument("--java-opts", default="")
    ap.add_argument("--jfr", type=int, default=0, help="also record JFR for this many seconds after settling")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--restart", action="store_true", help="also restart --all once after the start")
    a = ap.parse_args()
    jar = os.path.abspath(a.jar)
    work = tempfile.mkdtemp(prefix="sabot-prof-")
    home = os.path.join(work, "home"); os.makedirs(home)
    starts = os.path.join(work, "starts"); os.makedirs(starts)
    env = dict(os.environ, SABOT_HOME=home)
    cli = ["java", "-jar", jar]
    names = [f"p{i:03d}" for i in range(a.n)]
    spec = os.path.join(work, "agents.json")
    with open(spec, "w") as f:
        json.dump({"agents": [{"name": n, "command": ["/bin/sh", "-c", f"echo $(date +%s%N) $$ >> {starts}/{n}; exec sleep 100000"],
                               "restart": {"policy": "permanent", "maxRestarts": 1000000, "withinSeconds": 1,
                                           "backoff": {"initialMs": 0, "maxMs": 0}}} for n in names]}, f)
    daemon = subprocess.Popen(["java"] + a.java_opts.split() + ["-jar", jar, "daemon"], env=env,
                              stdout=open(os.path.join(work, "daemon.log"), "w"), stderr=subprocess.STDOUT)
    pid = daemon.pid
    try:
        for _ in range(600):
            if subprocess.run(cli + ["agents", "status"], env=env, capture_output=True).returncode == 0: break
            time.sleep(0.1)
        subprocess.run(cli + ["agents", "deploy", spec], env=env, check=True, stdout=subprocess.DEVNULL)
        if a.jfr:  # from just before the start of all: spawning, then the settled engine
            subprocess.run(["jcmd", str(pid), "JFR.start", f"duration={a.jfr}s", f"filename={work}/rec.jfr", "settings=profile"],
                           capture_output=True)
        t0 = time.time()
        subprocess.run(cli + ["agents", "start", "--all"], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"start --all returned after {time.time() - t0:.2f} s")
        if a.restart:
            t0 = time.time()
            subprocess.run(cli + ["agents", "restart", "--all"], env=env, check=True, stdout=subprocess.DEVNULL)
            print(f"restart --all returned after {time.time() - t0:.2f} s")
        time.sleep(a.settle)
        before = ticks(pid); w0 = time.time()
        time.sleep(a.window)
        after = ticks(pid); took = time.time() - w0
        hz = os.sysconf("SC_CLK_TCK")
        rows = {}
        for tid, (name, t1, ns1, sl1) in after.items():
            _, t_0, ns0, sl0 = before.get(tid, (name, 0, 0, 0))
            r = rows.setdefault(fold(name), [0, 0, 0, 0]); r[0] += 1; r[1] += t1 - t_0; r[2] += ns1 - ns0; r[3] += sl1 - sl0
        total = sum(r[1] for r in rows.values())
        total_ns = sum(r[2] for r in rows.values()); total_sl = sum(r[3] for r in rows.values())
        print(f"n={a.n} settle={a.settle}s window={took:.1f}s load={open('/proc/loadavg').read().split()[:3]}")
        print(f"RSS {status(pid, 'VmRSS') / 1024:.1f} MB, threads {status(pid, 'Threads')}, CPU {total / hz / took * 100:.2f} % of a core (ticks), "
              f"{total_ns / 1e9 / took * 100:.3f} % (schedstat), {total_sl / took:.1f} wake-ups/s")
        print("| threads (name, digits folded) | count | CPU % of a core (ticks) | CPU % (schedstat) | wake-ups/s |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, (count, t, ns, sl) in sorted(rows.items(), key=lambda kv: (-kv[1][2], -kv[1][0])):
            print(f"| {name} | {count} | {t / hz / took * 100:.2f} | {ns / 1e9 / took * 100:.3f} | {sl / took:.1f} |")
        for cmd in (["VM.native_memory", "summary"], ["GC.heap_info"]):
            r = subprocess.run(["jcmd", str(pid)] + cmd, capture_output=True, text=True)
            if "not enabled" not in r.stdout: print("\n$ jcmd PID " + " ".join(cmd) + "\n" + r.stdout)
        r = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True)
        print("\n$ jcmd PID GC.class_histogram (live objects, top 12)\n" + "\n".join(r.stdout.splitlines()[:15] + r.stdout.splitlines()[-1:]))
        if a.jfr:
            subprocess.run(["jcmd", str(pid), "JFR.dump", f"filename={work}/rec.jfr"], capture_output=True)
            print(f"JFR recording: {work}/rec.jfr")
    finally:
        daemon.send_signal(signal.SIGTERM)
        try: daemon.wait(60)
        except subprocess.TimeoutExpired: daemon.kill()
        for n in names:
            try:
                with open(os.path.join(starts, n)) as f:
                    for line in f:
                        try: os.kill(int(line.split()[1]), signal.SIGKILL)
                        except (ProcessLookupError, ValueError, IndexError): pass
            except FileNotFoundError: pass
        if not a.keep and not a.jfr: shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
