package io.sabot.probe;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * A log check: a line of the agent's output (stdout or stderr, as its log file has them) matches
 * the pattern. The file is read from where this process's start was logged ("[sabot] ID
 * starting"), on the probes' thread, at most 1 MiB per run. As a readiness check, one match is
 * enough; as a liveness check, a match is needed in every period.
 */
final class LogCheck implements Check {
    private static final int MAX_READ = 1 << 20;
    private final Path file;
    private final Pattern pattern;
    private final boolean sticky;
    private final String what;
    private long pos;
    private boolean seen;
    private final StringBuilder partial = new StringBuilder();

    LogCheck(Path file, String regex, String instanceId, boolean sticky) {
        this.file = file;
        this.pattern = Pattern.compile(regex);
        this.sticky = sticky;
        this.what = "log /" + regex + "/";
        this.pos = startOf(file, "[sabot] " + instanceId + " starting");
    }

    /** Offset of the last line containing {@code marker} within the file's last 256 KiB (else its end). */
    static long startOf(Path file, String marker) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            long from = Math.max(0, len - 256 * 1024);
            byte[] b = new byte[(int) (len - from)];
            raf.seek(from);
            raf.readFully(b);
            String s = new String(b, StandardCharsets.UTF_8);
            int at = s.lastIndexOf(marker);
            if (at < 0) return len;
            int lineStart = s.lastIndexOf('\n', at) + 1;
            return from + s.substring(0, lineStart).getBytes(StandardCharsets.UTF_8).length;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public CompletableFuture<CheckResult> run() {
        boolean matched = false;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            if (len < pos) pos = 0; // rotated
            if (len > pos) {
                byte[] buf = new byte[(int) Math.min(len - pos, MAX_READ)];
                raf.seek(pos);
                raf.readFully(buf);
                pos += buf.length;
                partial.append(new String(buf, StandardCharsets.UTF_8));
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, nl);
                    partial.delete(0, nl + 1);
                    if (!line.startsWith("[sabot] ") && pattern.matcher(line).find()) matched = true;
                }
                if (partial.length() > 65_536) partial.setLength(0); // a line that never ends is not a log line
            }
        } catch (IOException e) {
            return CompletableFuture.completedFuture(CheckResult.fail(what + ": cannot read " + file + ": " + e.getMessage()));
        }
        if (matched) seen = true;
        boolean ok = sticky ? seen : matched;
        return CompletableFuture.completedFuture(ok ? CheckResult.pass(what + " matched")
                : CheckResult.fail(what + (sticky ? " not seen yet" : " not seen in the last period")));
    }
}
