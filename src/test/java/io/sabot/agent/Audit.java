package io.sabot.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the SABOT_AUDIT_DIR files and checks that processed ranges tile the offsets. */
final class Audit {
    private Audit() {}

    record Batch(String topic, int partition, long start, long end, String instance) {}

    static List<Batch> read(Path dir, String topic, int partition) throws IOException {
        Path f = dir.resolve(topic + "-" + partition + ".log");
        List<Batch> out = new ArrayList<>();
        if (!Files.exists(f)) return out;
        for (String l : Files.readAllLines(f)) {
            if (l.isBlank()) continue;
            String[] p = l.trim().split(" ");
            assertThat(p).as("audit line '%s'", l).hasSize(5);
            out.add(new Batch(p[0], Integer.parseInt(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]), p[4]));
        }
        return out;
    }

    /** Asserts the batches cover [from, end) exactly once, without gaps or overlaps; returns end. */
    static long assertContiguous(Path dir, String topic, int partition, long from) throws IOException {
        List<Batch> batches = read(dir, topic, partition);
        batches.sort(Comparator.comparingLong(Batch::start));
        long next = from;
        for (Batch b : batches) {
            assertThat(b.start()).as("batch %s of %s-%d starts where the previous ended", b, topic, partition).isEqualTo(next);
            assertThat(b.end()).as("batch %s non-empty", b).isGreaterThan(b.start());
            next = b.end();
        }
        return next;
    }
}
