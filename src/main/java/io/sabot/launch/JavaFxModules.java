package io.sabot.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * JavaFX the supported way: as named modules. The app image has them linked into its runtime
 * (jpackage {@code --module-path}/{@code --add-modules}). {@code java -jar sabot.jar} cannot put
 * anything on the module path, so the jar carries JavaFX's own modular jars under
 * {@value #ENTRY_PREFIX} (not shaded into its classes) and the console relaunches the same
 * command as {@code java --module-path <those jars> --add-modules javafx.controls,javafx.swing
 * -cp sabot.jar io.sabot.Main ...}. The jars are extracted once per content into
 * {@code $XDG_CACHE_HOME/sabot} (else {@code ~/.cache/sabot}).
 *
 * <p>Guarantees (test: {@code JavaFxModulesTest}; the jar itself: {@code ConsoleLaunchIT}): a
 * console launched from the jar loads JavaFX as named modules and prints no "Unsupported JavaFX
 * configuration" warning; a second launch reuses the extracted jars; the relaunched command
 * exits with the console's exit code.
 */
public final class JavaFxModules {
    static final String ENTRY_PREFIX = "javafx-modules/";
    /** Set in the relaunched JVM, so it never relaunches again. */
    static final String RELAUNCHED = "SABOT_JAVAFX_RELAUNCHED";
    /**
     * Access that ControlsFX and AtlantaFX (on the class path) need into JavaFX's internals once
     * JavaFX is a set of named modules. The same list is in pom.xml (jpackage --java-options).
     */
    public static final List<String> ACCESS = List.of(
            "--add-exports=javafx.base/com.sun.javafx.event=ALL-UNNAMED",
            "--add-exports=javafx.base/com.sun.javafx.collections=ALL-UNNAMED",
            "--add-exports=javafx.controls/com.sun.javafx.scene.control=ALL-UNNAMED",
            "--add-exports=javafx.controls/com.sun.javafx.scene.control.behavior=ALL-UNNAMED",
            "--add-exports=javafx.controls/com.sun.javafx.scene.control.inputmap=ALL-UNNAMED",
            "--add-exports=javafx.graphics/com.sun.javafx.scene=ALL-UNNAMED",
            "--add-exports=javafx.graphics/com.sun.javafx.scene.traversal=ALL-UNNAMED",
            "--add-exports=javafx.graphics/com.sun.javafx.css=ALL-UNNAMED",
            "--add-opens=javafx.controls/javafx.scene.control.skin=ALL-UNNAMED",
            "--add-opens=javafx.graphics/javafx.scene=ALL-UNNAMED");
    static final String MODULES = "javafx.controls,javafx.swing";

    private JavaFxModules() {}

    /** Whether JavaFX is in the boot layer as named modules (the supported configuration). */
    public static boolean named() { return ModuleLayer.boot().findModule("javafx.graphics").isPresent(); }

    /** The jar this code runs from when it carries JavaFX's modular jars, else null (a class folder, the app image). */
    static Path carryingJar() {
        try {
            Path p = Path.of(JavaFxModules.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(p)) return null;
            try (ZipFile z = new ZipFile(p.toFile())) {
                return z.stream().anyMatch(e -> e.getName().startsWith(ENTRY_PREFIX) && e.getName().endsWith(".jar")) ? p : null;
            }
        } catch (URISyntaxException | IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Relaunches {@code args} with JavaFX on the module path when that is needed and possible;
     * returns the relaunched command's exit code, or -1 when the console should run in this JVM.
     */
    public static int relaunchIfNeeded(List<String> args, Map<String, String> env) {
        if (named() || env.containsKey(RELAUNCHED)) return -1;
        Path jar = carryingJar();
        if (jar == null) return -1;
        Path modules = extract(jar, cacheRoot(env));
        List<String> cmd = command(Path.of(System.getProperty("java.home"), "bin", "java"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), modules, jar, args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(RELAUNCHED, "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot relaunch the console with JavaFX modules: " + e.getMessage(), e);
        }
        // the terminal's Ctrl-C reaches both JVMs; a TERM or INT sent to this one alone is passed on
        for (String s : new String[] {"TERM", "INT", "HUP"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(s), sig -> p.destroy());
            } catch (IllegalArgumentException e) {
                // not available here
            }
        }
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                p.destroy();
            }
        }
    }

    /**
     * The JVM options that put the carried JavaFX modules on the module path, for a JVM this one
     * starts anyway (the console's tuned JVM: one relaunch, not two); empty when JavaFX is already
     * named here or this code does not run from a jar that carries it. The child must get
     * {@link #RELAUNCHED} in its environment when this is not empty.
     */
    public static List<String> optionsForChild(Map<String, String> env) {
        if (named() || env.containsKey(RELAUNCHED)) return List.of();
        Path jar = carryingJar();
        if (jar == null) return List.of();
        List<String> out = new ArrayList<>(List.of("--module-path", extract(jar, cacheRoot(env)).toString(), "--add-modules", MODULES));
        out.addAll(ACCESS);
        return out;
    }

    /** The environment variable that tells a child JVM JavaFX is already on its module path. */
    public static String relaunchedVariable() { return RELAUNCHED; }

    static List<String> command(Path java, List<String> jvmArgs, Path modules, Path jar, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        for (String a : jvmArgs) {
            // the class path and agent/debug ports of this JVM are not the child's business
            if (a.startsWith("-agentlib:jdwp") || a.startsWith("-Djava.class.path")) continue;
            cmd.add(a);
        }
        cmd.add("--module-path");
        cmd.add(modules.toString());
        cmd.add("--add-modules");
        cmd.add(MODULES);
        cmd.addAll(ACCESS);
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add("io.sabot.Main");
        cmd.addAll(args);
        return cmd;
    }

    static Path cacheRoot(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "sabot");
        return Path.of(System.getProperty("user.home"), ".cache", "sabot");
    }

    /** Extracts the carried jars into a folder named for their content (reused when it exists); returns it. */
    static Path extract(Path jar, Path cacheRoot) {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            Map<String, ZipEntry> entries = new TreeMap<>();
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.getName().startsWith(ENTRY_PREFIX) && e.getName().endsWith(".jar") && !e.isDirectory()) entries.put(e.getName(), e);
            }
            CRC32 id = new CRC32();
            for (ZipEntry e : entries.values()) {
                id.update(e.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                id.update(Long.toString(e.getCrc()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Path dir = cacheRoot.resolve("javafx-" + Long.toHexString(id.getValue()));
            if (Files.isRegularFile(dir.resolve(".complete"))) return dir;
            Files.createDirectories(cacheRoot);
            Path tmp = Files.createTempDirectory(cacheRoot, ".javafx-");
            try {
                for (ZipEntry e : entries.values()) {
                    try (InputStream in = z.getInputStream(e)) {
                        Files.copy(in, tmp.resolve(e.getName().substring(ENTRY_PREFIX.length())));
                    }
                }
                Files.createFile(tmp.resolve(".complete"));
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                    // another launch extracted the same jars first: use theirs
                }
            } finally {
                if (Files.exists(tmp)) {
                    try (var s = Files.walk(tmp)) {
                        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract JavaFX's modules from " + jar + " into " + cacheRoot + ": " + e.getMessage(), e);
        }
    }
}
