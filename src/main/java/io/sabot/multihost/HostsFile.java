package io.sabot.multihost;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's remembered hosts, {@code console-hosts.json} beside {@code console.json}: written
 * at once when the list changes (atomically: temp file, then move), read when the console opens.
 * A missing or broken file is an empty list, never an error that stops the console.
 */
public final class HostsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One remembered host. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String name, String url) { }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Doc(List<Entry> hosts) { }

    private HostsFile() {}

    public static Path beside(Path consolePrefs) { return consolePrefs.resolveSibling("console-hosts.json"); }

    public static List<Entry> read(Path file) {
        if (file == null || !Files.isRegularFile(file)) return List.of();
        try {
            Doc d = JSON.readValue(file.toFile(), Doc.class);
            List<Entry> out = new ArrayList<>();
            if (d.hosts() != null) for (Entry e : d.hosts()) if (e != null && e.name() != null && e.url() != null) out.add(e);
            return out;
        } catch (IOException | RuntimeException e) {
            System.getLogger("io.sabot.multihost").log(System.Logger.Level.WARNING, "ignoring " + file + ": " + e.getMessage());
            return List.of();
        }
    }

    public static void write(Path file, List<Entry> hosts) {
        if (file == null) return;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new Doc(hosts));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            System.getLogger("io.sabot.multihost").log(System.Logger.Level.WARNING, "cannot save " + file + ": " + e.getMessage());
        }
    }
}
