package io.sabot.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLogTest {
    @TempDir
    Path dir;

    @Test
    void theCapHoldsAtWriteTimeAndRotationKeepsNFiles() throws Exception {
        Path file = dir.resolve("logs/a-0.log");
        InstanceLog log = new InstanceLog(file, 10_000, 3);
        byte[] line = "0123456789012345678901234567890123456789012345678\n".getBytes(StandardCharsets.US_ASCII); // 50 bytes
        for (int i = 0; i < 2_000; i++) { // 100 KB through a 10 KB cap
            log.append(line, 0, line.length);
            assertThat(Files.size(file)).isLessThanOrEqualTo(10_000);
        }
        log.line("[sabot] last");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("a-0.log", "a-0.log.1", "a-0.log.2", "a-0.log.3");
        }
        for (int k = 1; k <= 3; k++) assertThat(Files.size(dir.resolve("logs/a-0.log." + k))).isBetween(9_950L, 10_000L);
        assertThat(log.tail(1)).containsExactly("[sabot] last");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("logs/a-0.log.1")))).isEqualTo("rw-------");
        log.close();
    }

    @Test
    void heldLinesComeBeforeAnythingWrittenAfterThem() throws Exception {
        Path file = dir.resolve("logs/h-0.log");
        InstanceLog log = new InstanceLog(file, 10_000, 3);
        List<String> told = new CopyOnWriteArrayList<>();
        log.follow(told::add);
        log.lineLater("[sabot] h-0 (pid 7) killed by signal 9");
        log.lineLater("[sabot] h-0 starting (crash)");
        assertThat(Files.readAllLines(file)).isEmpty(); // held
        byte[] out = "first words of the new process\n".getBytes(StandardCharsets.US_ASCII);
        log.append(out, 0, out.length); // the agent's output came first: the held lines go before it
        log.flushPending();             // and the engine's flush finds nothing left
        List<String> want = List.of("[sabot] h-0 (pid 7) killed by signal 9", "[sabot] h-0 starting (crash)", "first words of the new process");
        assertThat(Files.readAllLines(file)).isEqualTo(want);
        assertThat(told).isEqualTo(want);

        log.lineLater("[sabot] h-0 (pid 8) exited with code 0");
        assertThat(log.tail(1)).as("a reader sees a held line in its place").containsExactly("[sabot] h-0 (pid 8) exited with code 0");
        log.lineLater("[sabot] h-0 (pid 9) exited with code 0");
        log.flushPending(); // the engine's flush: written, the file closed again
        assertThat(Files.readAllLines(file)).endsWith("[sabot] h-0 (pid 8) exited with code 0", "[sabot] h-0 (pid 9) exited with code 0");
        log.lineLater("[sabot] held when the log is closed");
        log.close(); // not lost
        assertThat(Files.readAllLines(file)).endsWith("[sabot] held when the log is closed");
    }

    @Test
    void aQuietLogHoldsNoDescriptorAndReopensOnTheNextWrite() throws Exception {
        Path file = dir.resolve("logs/q-0.log");
        InstanceLog log = new InstanceLog(file, 10_000, 3);
        assertThat(file).exists(); // created at once: `logs` and readers find it before any output
        assertThat(descriptorsOn(file)).isZero();
        log.line("[sabot] started"); // the engine's own line: written, and the file closed again
        assertThat(descriptorsOn(file)).isZero();
        byte[] one = "one\n".getBytes(StandardCharsets.US_ASCII);
        log.append(one, 0, one.length); // the agent's output: the file stays open for the next lines
        assertThat(descriptorsOn(file)).isEqualTo(1);
        assertThat(log.releaseIfIdle(60_000)).isFalse(); // just written: kept open
        assertThat(log.releaseIfIdle(0)).isTrue();
        assertThat(descriptorsOn(file)).isZero();
        log.line("two");
        assertThat(Files.readAllLines(file)).containsExactly("[sabot] started", "one", "two");
        log.releaseIfIdle(0);
        Files.delete(file); // removed by hand while closed: the next write starts it again
        log.line("three");
        assertThat(Files.readAllLines(file)).containsExactly("three");
        log.close();
        assertThat(descriptorsOn(file)).isZero();
    }

    /** How many of this JVM's descriptors are open on {@code file}. */
    private static long descriptorsOn(Path file) throws Exception {
        Path real = file.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (Exception e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }

    @Test
    void malformedUtf8IsWrittenAsReplacementCharactersAndFollowersSeeLines() throws Exception {
        InstanceLog log = new InstanceLog(dir.resolve("logs/b-0.log"), 1 << 20);
        List<String> seen = new CopyOnWriteArrayList<>();
        Runnable stop = log.follow(seen::add);
        byte[] bad = {'o', 'k', (byte) 0xff, (byte) 0xfe, '\n', 'z', '\n'};
        log.append(bad, 0, bad.length);
        stop.run();
        log.line("after");
        String text = Files.readString(dir.resolve("logs/b-0.log")); // strict UTF-8: throws on malformed input
        assertThat(text).isEqualTo("ok\uFFFD\uFFFD\nz\nafter\n");
        assertThat(seen).containsExactly("ok\uFFFD\uFFFD", "z");
        log.close();
    }

    @Test
    void allLogsOfAHomeStayWithinTheBudgetOldestRotatedFilesFirst() throws Exception {
        Path logs = dir.resolve("budget");
        InstanceLog.ownerOnlyDir(logs);
        LogBudget.reset(logs, 50_000);
        InstanceLog a = new InstanceLog(logs.resolve("a-0.log"), 10_000, 3);
        InstanceLog b = new InstanceLog(logs.resolve("b-0.log"), 10_000, 3);
        byte[] line = "0123456789012345678901234567890123456789012345678\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 4_000; i++) { // 200 KB through each of two logs that could keep 40 KB each
            (i % 2 == 0 ? a : b).append(line, 0, line.length);
            assertThat(dirSize(logs)).isLessThanOrEqualTo(50_000);
        }
        assertThat(Files.size(logs.resolve("a-0.log"))).isPositive();
        assertThat(Files.size(logs.resolve("b-0.log"))).isPositive();
        a.close();
        b.close();
    }

    @Test
    void outputPastAFullBudgetIsDroppedAndSaidOnceThereIsRoom() throws Exception {
        Path logs = dir.resolve("full");
        InstanceLog.ownerOnlyDir(logs);
        LogBudget.reset(logs, 25_000);
        InstanceLog[] l = new InstanceLog[3];
        for (int i = 0; i < 3; i++) l[i] = new InstanceLog(logs.resolve("x-" + i + ".log"), 10_000, 0);
        byte[] kb = ("x".repeat(999) + "\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 9; i++) for (InstanceLog x : l) x.append(kb, 0, kb.length); // 27 KB wanted, 25 KB allowed
        assertThat(dirSize(logs)).isLessThanOrEqualTo(25_000);
        byte[] two = ("y".repeat(1999) + "\n").getBytes(StandardCharsets.US_ASCII);
        l[0].append(two, 0, two.length); // past x-0's cap: it rotates (keep 0: its old file goes), and there is room again
        l[2].line("[sabot] after");
        String x2 = Files.readString(logs.resolve("x-2.log"));
        assertThat(x2).contains("bytes of output were dropped: the logs of this home had reached their budget").endsWith("[sabot] after\n");
        for (InstanceLog x : l) x.close();
    }

    @Test
    void rotatedFilesAreCompressedKeepNHoldsAndTailReadsAcrossARotation() throws Exception {
        Path file = dir.resolve("gz/c-0.log");
        InstanceLog log = new InstanceLog(file, new LogPolicy(10_000, 2, true));
        int n = 0;
        for (; n < 1_000; n++) { // about 25 KB of numbered lines through a 10 KB cap: two rotations at least
            byte[] l = String.format("line %06d of the compression test\n", n).getBytes(StandardCharsets.US_ASCII);
            log.append(l, 0, l.length);
            assertThat(Files.size(file)).isLessThanOrEqualTo(10_000);
        }
        Path g1 = dir.resolve("gz/c-0.log.1.gz");
        Path g2 = dir.resolve("gz/c-0.log.2.gz");
        io.sabot.testing.Await.until(java.time.Duration.ofSeconds(20), () -> Files.exists(g1) && Files.exists(g2)
                && !Files.exists(dir.resolve("gz/c-0.log.1")) && !Files.exists(dir.resolve("gz/c-0.log.2")), () -> "compressed: " + names(file.getParent()));
        assertThat(names(file.getParent())).containsExactly("c-0.log", "c-0.log.1.gz", "c-0.log.2.gz");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(g1))).isEqualTo("rw-------");
        // the three files hold the newest lines in order, without a gap
        List<String> kept = new java.util.ArrayList<>(gunzip(g2));
        kept.addAll(gunzip(g1));
        kept.addAll(Files.readAllLines(file));
        int first = Integer.parseInt(kept.get(0).substring(5, 11));
        for (int i = 0; i < kept.size(); i++) assertThat(kept.get(i)).startsWith(String.format("line %06d ", first + i));
        assertThat(first + kept.size()).isEqualTo(n);
        assertThat(Files.size(g1)).as("compressed").isLessThan(5_000);
        // just after a rotation the current file is short: tail takes the rest from the newest rotated file
        int inCurrent = Files.readAllLines(file).size();
        List<String> tail = log.tail(inCurrent + 5);
        assertThat(tail).hasSize(inCurrent + 5);
        assertThat(tail.get(tail.size() - 1)).startsWith(String.format("line %06d ", n - 1));
        assertThat(tail.get(0)).startsWith(String.format("line %06d ", n - inCurrent - 5));
        // a smaller keep applies at once
        log.configure(new LogPolicy(10_000, 1, true));
        assertThat(names(file.getParent())).containsExactly("c-0.log", "c-0.log.1.gz");
        assertThat(log.counters()[0]).isGreaterThan(25_000);
        log.close();
    }

    @Test
    void aFileIsRotatedByAgeWhenAskedButNeverWhileEmpty() throws Exception {
        Path file = dir.resolve("age/d-0.log");
        InstanceLog log = new InstanceLog(file, new LogPolicy(1 << 20, 2, false, 300));
        log.line("old enough soon");
        log.rotateIfNeeded();
        assertThat(names(file.getParent())).as("younger than 300 ms: stays").containsExactly("d-0.log");
        io.sabot.testing.Await.until(java.time.Duration.ofSeconds(10), () -> {
            log.rotateIfNeeded(); // what the engine's 30 s timer calls
            return Files.exists(dir.resolve("age/d-0.log.1"));
        }, "rotated by age");
        assertThat(Files.readString(dir.resolve("age/d-0.log.1"))).isEqualTo("old enough soon\n");
        long rotatedAt = System.nanoTime();
        io.sabot.testing.Await.until(java.time.Duration.ofSeconds(10), () -> System.nanoTime() - rotatedAt > 600_000_000L, "past the age again");
        log.rotateIfNeeded();
        assertThat(names(file.getParent())).as("an empty file is not rotated").containsExactly("d-0.log", "d-0.log.1");
        log.close();
    }

    private static List<String> names(Path d) {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            return List.of(e.toString());
        }
    }

    private static List<String> gunzip(Path gz) throws Exception {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    private static long dirSize(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
