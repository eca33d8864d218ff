package io.sabot.ui;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What the console remembers between runs, in {@code console.json} under the home. Loaded
 * before the window shows and saved on close, both off the FX thread.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConsolePrefs(double x, double y, double width, double height, boolean maximized, String view,
                           String theme, double detailDivider) {
    private static final System.Logger LOG = System.getLogger("io.sabot.ui");
    public static final ConsolePrefs DEFAULT = new ConsolePrefs(Double.NaN, Double.NaN, 1440, 900, false, "agents", "light", 0.63);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Path file(Path home) { return home.resolve("console.json"); }

    public static ConsolePrefs load(Path file) {
        if (file == null || !Files.isRegularFile(file)) return DEFAULT;
        try {
            ConsolePrefs p = JSON.readValue(file.toFile(), ConsolePrefs.class);
            return p.width() < 400 || p.height() < 300 ? DEFAULT : p;
        } catch (IOException | RuntimeException e) {
            return DEFAULT; // a broken prefs file must never stop the console
        }
    }

    /** Writes atomically (temp file then move) so a crash mid-write leaves the old file. */
    public void save(Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute( // the home is owner-only, so is every file in it
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "console: cannot save " + file + ": " + e.getMessage());
        }
    }

    public boolean dark() { return "dark".equals(theme); }
}
