package io.sabot.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A thread lowers its own priority, and only its own: the process's other threads keep theirs. */
class ThreadNiceTest {
    @Test
    void aThreadLowersOnlyItsOwnPriority() throws Exception {
        Integer base = ThreadNice.ofCurrentThread();
        assertThat(base).as("nice of this thread, read from /proc/self/task/TID/stat").isNotNull();
        int target = Math.min(19, base + 5);
        AtomicReference<Integer> after = new AtomicReference<>(), read = new AtomicReference<>();
        Thread t = new Thread(() -> {
            after.set(ThreadNice.lowerCurrentThread(target));
            read.set(ThreadNice.ofCurrentThread());
        });
        t.start();
        t.join();
        assertThat(after.get()).isEqualTo(target);
        assertThat(read.get()).isEqualTo(target);
        assertThat(ThreadNice.ofCurrentThread()).as("the calling thread is untouched").isEqualTo(base);
        // asking for a value above the current one changes nothing (raising priority needs privileges)
        Thread u = new Thread(() -> {
            ThreadNice.lowerCurrentThread(target);
            after.set(ThreadNice.lowerCurrentThread(base));
        });
        u.start();
        u.join();
        assertThat(after.get()).isEqualTo(target);
    }
}
