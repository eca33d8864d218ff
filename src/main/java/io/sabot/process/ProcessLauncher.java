package io.sabot.process;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Spawns agents: argv as given (never a shell), in a session of its own (so the pid is the
 * agent, the session and the group leader, and a stop reaches the whole tree), stdin a pipe for
 * protocol agents and /dev/null for others, stdout and stderr through pipes into the instance's
 * log (so every byte of output passes the log writer, which can cap it).
 *
 * <p>On 64-bit Linux with glibc 2.34+ and pidfd (see {@link LinuxNative#problem()}) this is one
 * {@code posix_spawn} per agent ({@link NativeSpawner}), one thread reaping every agent
 * ({@link Reaper}) and one thread serving every agent's pipes ({@link OutputLoop}): the engine's
 * thread count does not grow with the fleet. Elsewhere {@link JdkAgentProcess} does the same with
 * {@link ProcessBuilder} and threads per agent.
 */
public final class ProcessLauncher {
    private final OrphanWatchdog watchdog;

    public ProcessLauncher(OrphanWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    public OrphanWatchdog watchdog() { return watchdog; }

    /**
     * Builds an agent's environment and its native argv/envp {@code rounds} times and frees them
     * (nothing is spawned), so the JIT has compiled that part of a spawn before the first crash
     * ({@code host.CrashPathWarmUp}).
     */
    public static void warmUp(int rounds) {
        if (!NativeLayer.available()) return;
        Map<String, String> own = Map.of("SABOT_INSTANCE", "warm-up-0", "TRACEPARENT", "00-00000000000000000000000000000001-0000000000000001-01");
        for (int i = 0; i < rounds; i++) {
            try (NativeBuf av = CStrings.of(java.util.List.of("/bin/sh", "-c", "true")); NativeBuf ev = CStrings.environment(environment(own, "warm-up"))) {
                // made and freed: nothing is spawned
            }
        }
    }

    /** An agent's environment: the engine's own, then the agent's, then the watchdog's token (null: none). */
    private static Map<String, String> environment(Map<String, String> own, String token) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(own);
        if (token != null) env.put(OrphanWatchdog.ENV_TOKEN, token); // found by the watchdog even if never announced
        return env;
    }

    /** Whether agents are spawned natively here; else why not. */
    public static String nativeProblem() { return LinuxNative.problem(); }

    public AgentProcess launch(LaunchRequest req) throws IOException {
        // never the engine's last file descriptors: it must keep serving (FileDescriptors)
        try (FileDescriptors.Claim room = FileDescriptors.claim()) {
            return spawn(req);
        } catch (IOException e) {
            throw FileDescriptors.explain(e);
        }
    }

    private AgentProcess spawn(LaunchRequest req) throws IOException {
        Map<String, String> env = environment(req.env(), watchdog == null ? null : watchdog.token());
        AgentProcess p = NativeLayer.available()
                ? NativeLayer.get().launch(req, env)
                : JdkAgentProcess.launch(req, env);
        if (watchdog != null && p.pgid() > 1) watchdog.watch(p.pgid());
        return p;
    }
}
