package io.sabot.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The spawning thread with its own descriptor table, with real processes and real descriptors. */
class SpawnThreadTest {
    @BeforeEach
    void nativeOnly() {
        assumeTrue(ProcessLauncher.nativeProblem() == null, () -> "native process layer not available here: " + ProcessLauncher.nativeProblem());
    }

    private static long ourDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Runs {@code sh -c script} through {@code t} with stdout to a pipe; returns what it printed. */
    private static String run(SpawnThread t, String script) throws Exception {
        int[] out = new int[2];
        assertThat(LinuxNative.pipe2(out, LinuxNative.O_CLOEXEC)).isZero();
        int pid;
        try (NativeBuf av = CStrings.of(List.of("/bin/sh", "-c", script)); NativeBuf ev = CStrings.of(List.of("PATH=/usr/bin:/bin"))) {
            pid = t.spawn(new int[] {-1, out[1], -1}, "/bin/sh", false, av, ev, "/");
        } finally {
            LinuxNative.close(out[1]);
        }
        StringBuilder text = new StringBuilder();
        try (NativeBuf buf = new NativeBuf(4096)) {
            long n;
            while ((n = LinuxNative.read(out[0], buf, 4096)) > 0) text.append(new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8));
        } finally {
            LinuxNative.close(out[0]);
        }
        int[] status = new int[1];
        assertThat(LinuxNative.waitpid(pid, status, 0)).isEqualTo(pid);
        return text.toString();
    }

    /** The descriptors in the tables of this JVM's sabot-spawn threads (Linux shows each thread's table under /proc/self/task). */
    private static List<List<String>> spawnThreadTables() throws IOException {
        List<List<String>> tables = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).trim();
                } catch (IOException gone) {
                    continue;
                }
                if (!comm.equals("sabot-spawn")) continue;
                try (Stream<Path> fds = Files.list(task.resolve("fd"))) {
                    tables.add(fds.map(f -> f.getFileName().toString()).sorted().toList());
                }
            }
        }
        return tables;
    }

    @Test
    void theSpawningThreadsTableHoldsFourDescriptorsHoweverManyTheEngineHolds() throws Exception {
        SpawnThread t = SpawnThread.start();
        assertThat(t).isNotNull();
        List<int[]> many = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) { // an engine with a fleet: a thousand descriptors more
                int[] p = new int[2];
                assertThat(LinuxNative.pipe2(p, LinuxNative.O_CLOEXEC)).isZero();
                many.add(p);
            }
            assertThat(ourDescriptors()).isGreaterThan(1000);
            assertThat(run(t, "echo spawned")).isEqualTo("spawned\n");
            // what a child copies (and closes before exec): 0-2 and the thread's socket, not the engine's thousand
            List<List<String>> tables = spawnThreadTables();
            assertThat(tables).isNotEmpty();
            assertThat(tables).allSatisfy(table -> assertThat(table).hasSizeLessThanOrEqualTo(4).contains("0", "1", "2"));
        } finally {
            for (int[] p : many) {
                LinuxNative.close(p[0]);
                LinuxNative.close(p[1]);
            }
        }
    }

    @Test
    void theEnginesTableNeitherGainsNorKeepsDescriptors() throws Exception {
        // a connection open when the thread starts: once the engine closes it, its peer must see EOF
        int[] conn = new int[2];
        assertThat(LinuxNative.socketpair(LinuxNative.AF_UNIX, LinuxNative.SOCK_SEQPACKET | LinuxNative.SOCK_CLOEXEC, 0, conn)).isZero();
        SpawnThread t = SpawnThread.start();
        assertThat(t).isNotNull();
        LinuxNative.close(conn[0]);
        try (NativeBuf buf = new NativeBuf(16)) {
            assertThat(LinuxNative.read(conn[1], buf, 16)).as("EOF: no copy of the closed end lives on in the spawning thread").isZero();
        } finally {
            LinuxNative.close(conn[1]);
        }
        run(t, "true"); // the first job may allocate lazily
        long before = ourDescriptors();
        for (int i = 0; i < 20; i++) assertThat(run(t, "echo $((" + i + " + 1))")).isEqualTo((i + 1) + "\n");
        // other code in this test JVM (a Kafka client of an earlier test, say) may hold a descriptor for a
        // moment: wait for the count to come back, which it never would if a spawn left one behind
        io.sabot.testing.Await.until(java.time.Duration.ofSeconds(10), () -> {
            try {
                return ourDescriptors() <= before;
            } catch (IOException e) {
                return false;
            }
        }, () -> "descriptors of this JVM back to " + before);
    }

    @Test
    void anExecFailureIsTheCallersErrorAndTheThreadKeepsServing() throws Exception {
        SpawnThread t = SpawnThread.start();
        try (NativeBuf av = CStrings.of(List.of("sabot-no-such-program")); NativeBuf ev = CStrings.of(List.of("PATH=/usr/bin:/bin"))) {
            assertThatThrownBy(() -> t.spawn(new int[] {-1, -1, -1}, "sabot-no-such-program", true, av, ev, null))
                    .isInstanceOf(IOException.class).hasMessageContaining("No such file or directory");
            assertThatThrownBy(() -> t.spawn(new int[] {-1, -1, -1}, "/bin/true", false, av, ev, "/sabot/no/such/folder"))
                    .isInstanceOf(IOException.class).hasMessageContaining("No such file or directory");
        }
        assertThat(run(t, "echo still here")).isEqualTo("still here\n");
    }

    @Test
    void agentsSpawnedThroughTheLayerGetTheirStdinAndStdoutThroughTheThread() throws Exception {
        assertThat(SpawnThread.get()).as("the shared spawning thread").isNotNull();
        NativeSpawner.Child c = NativeSpawner.spawn(List.of("sh", "-c", "read line; echo \"got $line\"; echo err >&2"), null,
                java.util.Map.of("PATH", "/usr/bin:/bin"), NativeSpawner.Stdin.PIPE_BLOCKING, true);
        StringBuilder text = new StringBuilder();
        try (NativeBuf buf = new NativeBuf(4096)) {
            buf.write(0, "hello\n".getBytes(StandardCharsets.US_ASCII), 0, 6);
            assertThat(LinuxNative.write(c.stdinFd(), buf, 6)).isEqualTo(6);
            long n;
            LinuxNative.fcntl(c.stdoutFd(), 4, 0); // blocking reads for the test
            while ((n = LinuxNative.read(c.stdoutFd(), buf, 4096)) > 0) text.append(new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8));
        } finally {
            LinuxNative.close(c.stdinFd());
            LinuxNative.close(c.stdoutFd());
            LinuxNative.close(c.stderrFd());
        }
        LinuxNative.waitpid(c.pid(), new int[1], 0);
        assertThat(text.toString()).isEqualTo("got hello\n");
    }
}
