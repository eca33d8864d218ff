package io.sabot.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the argv of a built-in agent process:
 * {@code [<java home>/bin/java, flags..., -cp, <app classpath>, io.sabot.agent.AgentMain, <kind>]}.
 *
 * <p>The flags keep a child JVM small and quick to start (figures and method in
 * {@code docs/benchmarks.md}, "Built-in agents"):
 * <ul>
 * <li>{@code -XX:TieredStopAtLevel=1}: C1 only. The agents' hot loops are small; C2's compile
 *     threads and memory buy little here.</li>
 * <li>{@code -XX:+UseSerialGC}: no G1 remembered sets and worker threads (6 fewer threads, about
 *     10 MB less RSS).</li>
 * <li>{@code -Xms8m} and {@code -Xmx} from the memory limit: a small initial heap keeps RSS low
 *     (the default initial heap is 1/64 of host RAM, and the young generation is touched in full
 *     before the first collection); see {@link #heapMb(int)}.</li>
 * <li>{@code -Xss256k}, {@code -XX:CICompilerCount=1}, {@code -XX:-UsePerfData} (no hsperfdata
 *     mmap file in /tmp per agent; the agents are not meant to be found by jps).</li>
 * <li>{@code -Xshare:auto} (the default: the JDK's class data sharing archive) and, when a
 *     {@code cdsDir} is given and the class path is all jars, an application CDS archive of the
 *     agent's classes: one agent is started with {@code -XX:ArchiveClassesAtExit} (claimed with a
 *     lock file, so exactly one process writes it, to a temporary name), and once written every
 *     later agent gets {@code -XX:SharedArchiveFile}. This works on JDK 13+; JDK 19's
 *     {@code -XX:+AutoCreateSharedArchive} is not used because with hundreds of agents starting
 *     at once every one of them would try to write the same archive file at exit. The archive's
 *     name includes the JDK version and a hash of the class path entries (path, size, mtime), so a
 *     rebuilt jar or another JDK gets a new one.</li>
 * </ul>
 */
public final class BuiltinLauncher {
    private BuiltinLauncher() {}

    public static final String MAIN_CLASS = "io.sabot.agent.AgentMain";
    /** Heap when no memory limit is set. */
    public static final int DEFAULT_HEAP_MB = 128;
    /** Memory outside the Java heap of a small agent JVM (metaspace, code, CDS, threads, GC, libc): measured ~30 MB. */
    public static final int NON_HEAP_MB = 40;
    static final long STALE_LOCK_MS = 10 * 60_000L;

    /** The flags (without -Xmx and CDS) that {@link #argv} uses. */
    public static final List<String> BASE_FLAGS = List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xms8m",
            "-Xss256k",
            "-XX:CICompilerCount=1",
            "-XX:-UsePerfData",
            "-Xshare:auto");

    /**
     * The argv for an agent of {@code kind} run by the current JVM's java, with the current class
     * path (made absolute), under {@code memoryLimitMb} (0 or less: no limit), without app CDS.
     */
    public static List<String> argv(String kind, int memoryLimitMb) {
        return argv(Path.of(System.getProperty("java.home")), currentClasspath(), kind, memoryLimitMb, null);
    }

    /** As {@link #argv(String, int)}, with the app CDS archive kept in {@code cdsDir} (e.g. {@code $SABOT_HOME/cds}). */
    public static List<String> argv(String kind, int memoryLimitMb, Path cdsDir) {
        return argv(Path.of(System.getProperty("java.home")), currentClasspath(), kind, memoryLimitMb, cdsDir);
    }

    /**
     * The argv for an agent of {@code kind}.
     *
     * @param javaHome      the JDK/JRE to run ({@code <javaHome>/bin/java})
     * @param classpath     class path entries (absolute paths recommended)
     * @param memoryLimitMb the instance's memory limit; 0 or less for none
     * @param cdsDir        where to keep the app CDS archive, or null for none
     */
    public static List<String> argv(Path javaHome, List<String> classpath, String kind, int memoryLimitMb, Path cdsDir) {
        List<String> argv = new ArrayList<>(16);
        argv.add(javaHome.resolve("bin").resolve("java").toString());
        argv.addAll(BASE_FLAGS);
        argv.add("-Xmx" + heapMb(memoryLimitMb) + "m");
        if (cdsDir != null) argv.addAll(cdsFlags(javaHome, classpath, cdsDir));
        argv.add("-cp");
        argv.add(String.join(java.io.File.pathSeparator, classpath));
        argv.add(MAIN_CLASS);
        argv.add(kind);
        return argv;
    }

    /**
     * Max heap for a memory limit: the limit less {@value #NON_HEAP_MB} MB of non-heap memory, at
     * most 3/4 of the limit, at least 16 MB; {@value #DEFAULT_HEAP_MB} MB when there is no limit.
     * E.g. 512 -> 384, 256 -> 192, 128 -> 88, 96 -> 56, 64 -> 24.
     */
    public static int heapMb(int memoryLimitMb) {
        if (memoryLimitMb <= 0) return DEFAULT_HEAP_MB;
        return Math.max(16, Math.min(memoryLimitMb * 3 / 4, memoryLimitMb - NON_HEAP_MB));
    }

    /** The current class path, each entry made absolute. */
    public static List<String> currentClasspath() {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) out.add(Path.of(e).toAbsolutePath().normalize().toString());
        }
        return out;
    }

    /** The feature version (17, 21, ...) of the JDK at {@code javaHome}, from its {@code release} file. */
    public static int javaFeatureVersion(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
                    if (v.startsWith("1.")) v = v.substring(2);
                    int end = 0;
                    while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
                    return Integer.parseInt(v.substring(0, end));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        if (javaHome.toAbsolutePath().normalize().equals(Path.of(System.getProperty("java.home")).toAbsolutePath().normalize())) {
            return Runtime.version().feature();
        }
        return 0;
    }

    /**
     * The app-CDS flags for this JDK and class path: {@code -XX:SharedArchiveFile=...} once the
     * archive exists, {@code -XX:ArchiveClassesAtExit=...} for the one caller that claims its
     * creation, nothing otherwise (and nothing for JDKs before 13 or a class path with directories).
     */
    static List<String> cdsFlags(Path javaHome, List<String> classpath, Path cdsDir) {
        int feature = javaFeatureVersion(javaHome);
        if (feature < 13) return List.of();
        long h = 0xcbf29ce484222325L;
        h = fnv(h, javaHome.toAbsolutePath().normalize().toString());
        try {
            for (String e : classpath) {
                Path p = Path.of(e);
                if (!Files.isRegularFile(p)) return List.of(); // CDS needs jars only
                h = fnv(h, p.toAbsolutePath().normalize().toString());
                h = fnv(h, Long.toString(Files.size(p)));
                h = fnv(h, Long.toString(Files.getLastModifiedTime(p).toMillis()));
            }
            if (!Files.isDirectory(cdsDir)) { // owner-only: it is in the home
                Files.createDirectories(cdsDir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            String base = "agent-jdk" + feature + "-" + Long.toHexString(h);
            Path archive = cdsDir.resolve(base + ".jsa");
            if (Files.isRegularFile(archive)) return List.of("-XX:SharedArchiveFile=" + archive);
            Path tmp = cdsDir.resolve(base + ".jsa.tmp");
            Path lock = cdsDir.resolve(base + ".lock");
            long now = System.currentTimeMillis();
            if (Files.isRegularFile(tmp) && Files.size(tmp) > 0
                    && now - Files.getLastModifiedTime(tmp).toMillis() > 2_000) {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")); // the JVM wrote it with the umask's mode
                Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return List.of("-XX:SharedArchiveFile=" + archive);
            }
            if (Files.exists(lock) && now - Files.getLastModifiedTime(lock).toMillis() > STALE_LOCK_MS) {
                Files.deleteIfExists(lock); // the claimant never wrote it (killed): try again
            }
            try {
                Files.createFile(lock, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                Files.setLastModifiedTime(lock, FileTime.fromMillis(now));
                return List.of("-XX:ArchiveClassesAtExit=" + tmp);
            } catch (FileAlreadyExistsException taken) {
                return List.of();
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h * 31 + 7;
    }
}
