package io.sabot.process;

/** An agent spawned by {@link NativeSpawner}: reaped by the {@link Reaper}, its pipes served by the {@link OutputLoop}. */
final class NativeAgentProcess extends AgentProcess {
    private final int pid;
    private final OutputLoop.StdinPipe stdin; // null: stdin is /dev/null

    NativeAgentProcess(int pid, long startTicks, OutputLoop.StdinPipe stdin) {
        super(pid, startTicks); // its own session: pid == pgid
        this.pid = pid;
        this.stdin = stdin;
    }

    @Override
    public long pid() { return pid; }

    /** Called by the reaper: the process is gone, and so is any reason to write to it. */
    void exited(int exitValue) {
        if (stdin != null) stdin.close();
        exit.complete(exitValue);
    }

    @Override
    boolean sendBytes(byte[] line) { return stdin != null && stdin.send(line); }

    @Override
    public boolean firstRefusal() { return stdin != null && stdin.firstRefusal(); }

    @Override
    public void closeStdin() {
        if (stdin != null) stdin.close();
    }
}
