package io.sabot.process;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Spawns agents: argv as given (never a shell), in a session of its own via util-linux
 * {@code setsid} (which execs in place, so the pid Java sees is the agent and the group leader),
 * so a stop can reach the whole tree. stderr goes straight to the log file; stdout through a pump.
 */
public final class ProcessLauncher {
    private static final File DEV_NULL = new File("/dev/null");
    private final String setsid = OrphanWatchdog.setsidPath();
    private final OrphanWatchdog watchdog;

    public ProcessLauncher(OrphanWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    public OrphanWatchdog watchdog() { return watchdog; }

    public AgentProcess launch(LaunchRequest req) throws IOException {
        // never the engine's last file descriptors: it must keep serving (FileDescriptors)
        try (FileDescriptors.Claim room = FileDescriptors.claim()) {
            return spawn(req);
        } catch (IOException e) {
            throw FileDescriptors.explain(e);
        }
    }

    private AgentProcess spawn(LaunchRequest req) throws IOException {
        List<String> argv = new ArrayList<>();
        if (setsid != null) argv.add(setsid);
        argv.addAll(req.argv());
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (req.workdir() != null) pb.directory(req.workdir().toFile());
        Map<String, String> env = pb.environment();
        env.putAll(req.env());
        if (watchdog != null) env.put(OrphanWatchdog.ENV_TOKEN, watchdog.token()); // found by the watchdog even if never announced
        pb.redirectInput(req.protocol() ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(DEV_NULL));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(req.log().file().toFile()));
        Process p = pb.start();
        long pgid = setsid != null ? p.pid() : -1;
        if (watchdog != null && pgid > 1) watchdog.watch(pgid);
        long ticks = ProcStat.startTicks(p.pid());
        OutputPump.start(req.instanceId(), p.getInputStream(), req.log(), req.protocolLines());
        return new AgentProcess(p, pgid, ticks);
    }
}
