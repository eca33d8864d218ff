"""What first_kills.py and first_restarts.py share: supervisor_bench.py's targets, its SIGKILL
sequence (each kill after the one before has restarted, 50 ms apart) and the cleanup by pid.
Import from a script in bench/ (its folder is on sys.path)."""
import os, signal, sys, time

BENCH = "/work/shared/bench/supervisor_bench.py"


def load_bench():
    """supervisor_bench.py's classes and helpers, without running it."""
    src = open(BENCH).read().split("if __name__")[0]
    sb = type(sys)("sb"); exec(compile(src, BENCH, "exec"), sb.__dict__)
    return sb


def kills(sb, t, k):
    """K SIGKILLs as the bench makes them; the latency of each (ms), kill to the new start line."""
    lat = []
    for i in range(k):
        name = t.names[i % t.n]; before = len(t.lines(name)); pid = t.pid_of(name)
        kk = sb.now_ns(); os.kill(pid, signal.SIGKILL); t0 = time.time()
        while len(t.lines(name)) <= before and time.time() - t0 < 10: time.sleep(0.0005)
        lat.append((t.lines(name)[-1] - kk) / 1e6); time.sleep(0.05)
    return lat


def down(t):
    """Stops the target, then SIGKILLs what is left of this run's programs, by the pid each wrote."""
    t.down()
    for x in t.names:
        pid = t.pid_of(x)
        if pid:
            try: os.kill(pid, signal.SIGKILL)
            except ProcessLookupError: pass
