package io.sabot.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Online backups of the database in {@code <home>/backups/} (0700): H2's {@code BACKUP TO}, a
 * transactionally consistent copy taken while the engine writes, zipped, named
 * {@code sabot-<UTC time>-g<generation>.zip}, written under a temporary name and renamed when
 * complete (a half-written backup never looks like one), 0600, at most {@code keep} of them
 * (BackupsTest#backupsAreBoundedOwnerOnlyAndRestorable).
 */
public final class Backups {
    static final String DIR = "backups";
    private static final Pattern NAME = Pattern.compile("sabot-(\\d{8}T\\d{6}(?:\\d{3})?Z)-g(\\d+)\\.zip");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP_S = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** One backup file. */
    public record Backup(Path file, Instant time, long generation, long sizeBytes) { }

    /** What one backup run did. */
    public record Result(Backup backup, long millis, List<Path> pruned) { }

    private Backups() {}

    static Path dir(Path home) { return home.resolve(DIR); }

    /** Backups of a home, newest first. */
    public static List<Backup> list(Path home) {
        List<Backup> out = new ArrayList<>();
        Path dir = dir(home);
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "sabot-*.zip")) {
            for (Path p : ds) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (!m.matches()) continue;
                String stamp = m.group(1);
                Instant t = stamp.length() == 19 ? STAMP.parse(stamp, Instant::from) : STAMP_S.parse(stamp, Instant::from);
                out.add(new Backup(p, t, Long.parseLong(m.group(2)), Files.size(p)));
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable backups folder is reported by check; here it has no backups
        }
        out.sort(Comparator.comparing(Backup::time).reversed());
        return out;
    }

    /** Takes a backup over {@code conn} (a connection of the live database) and keeps the newest {@code keep}. */
    static Result take(Path home, Connection conn, long generation, int keep) throws IOException, SQLException {
        long t0 = System.nanoTime();
        Path dir = dir(home);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Instant now = Instant.now();
        Path tmp = dir.resolve(".tmp-" + STAMP.format(now) + ".zip");
        Path done = dir.resolve("sabot-" + STAMP.format(now) + "-g" + generation + ".zip");
        try (Statement st = conn.createStatement()) {
            if (tmp.toString().contains("'")) throw new IOException("home " + home + " contains a quote, which BACKUP TO cannot take");
            st.execute("BACKUP TO '" + tmp + "'");
            HomeLock.ownerOnly(tmp);
            Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        List<Path> pruned = prune(home, keep);
        return new Result(new Backup(done, now, generation, Files.size(done)), (System.nanoTime() - t0) / 1_000_000, pruned);
    }

    /** Deletes all but the newest {@code keep} backups (and leftovers of interrupted ones). */
    static List<Path> prune(Path home, int keep) {
        List<Path> gone = new ArrayList<>();
        List<Backup> all = list(home);
        for (int i = Math.max(1, keep); i < all.size(); i++) {
            try {
                Files.deleteIfExists(all.get(i).file());
                gone.add(all.get(i).file());
            } catch (IOException ignored) {
                // tried again next time
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(home), ".tmp-*.zip")) {
            for (Path p : ds) if (Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - 3_600_000) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing to clean
        }
        return gone;
    }

    /** Extracts a backup's database file to {@code target} (0600); false when the zip holds none. */
    static boolean extract(Path zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.getName().endsWith(".mv.db")) continue;
                Files.deleteIfExists(target);
                Files.createFile(target, HomeLock.ownerOnlyFile());
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    copy(in, out); // the zip stream checks each entry's CRC at its end
                }
                return true;
            }
        }
        return false;
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
    }
}
