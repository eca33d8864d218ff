package io.sabot.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The OOM-kill counters are read from the files' bytes: the named line's value, and -1 where there is none. */
class OomProbeTest {
    private static long find(String text, String name) { return OomProbe.find(text.getBytes(StandardCharsets.US_ASCII), name); }

    @Test
    void theNamedLinesValueIsFoundAndNothingElse() {
        String vmstat = "nr_free_pages 123\noom_kill_extra 9\noom_kill 42\npgfault 7\n";
        assertThat(find(vmstat, "oom_kill")).isEqualTo(42);
        assertThat(find(vmstat, "pgfault")).isEqualTo(7);
        assertThat(find("low 0\nhigh 0\nmax 0\noom 1\noom_kill 3", "oom_kill")).as("the last line, no newline").isEqualTo(3);
        assertThat(find(vmstat, "oom")).as("a prefix of another name is not that name").isEqualTo(-1);
        assertThat(find("oom_kill x\n", "oom_kill")).isEqualTo(-1);
        assertThat(find("", "oom_kill")).isEqualTo(-1);
        // this machine's own counter reads as a number (the kernel has it since 4.13)
        assertThat(OomProbe.counter(Path.of("/proc/vmstat"), "oom_kill")).isGreaterThanOrEqualTo(0);
    }
}
