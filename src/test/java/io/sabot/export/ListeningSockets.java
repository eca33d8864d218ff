package io.sabot.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The TCP sockets a process listens on, from /proc: its socket inodes matched against /proc/net/tcp{,6} LISTEN rows. */
public final class ListeningSockets {
    private ListeningSockets() { }

    /** "ADDR:PORT" (hex, as the kernel writes them) of each listening socket of {@code pid}. */
    public static List<String> of(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path p = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(p)) continue;
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[3].equals("0A")) continue; // 0A: LISTEN
                if (inodes.contains(f[9])) out.add(f[1]);
            }
        }
        return out;
    }
}
