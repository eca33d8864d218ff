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
        assertThat(Files.getPosixFilePermissions(dir.resolve("logs/a-0.log.1")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        log.close();
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
}
