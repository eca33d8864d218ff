package io.sabot.history;

import io.sabot.store.UsageSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which history rows say something new: a row equal in every figure to its subject's last written
 * row, without restarts, is left out unless {@code steadyRowMs} passed since that row (then it is
 * written, so a steady subject still has a row that often). A subject missing from a sample is
 * forgotten: when it comes back its first row is written. What is left out is what the last row
 * said, and {@link HistoryRecorder#query} puts it back. Thread-confined. Held by {@code SteadyRowsTest}.
 */
final class SteadyRows {
    private final long steadyRowMs;
    private final Map<String, UsageSample> lastWritten = new HashMap<>();

    SteadyRows(long steadyRowMs) { this.steadyRowMs = steadyRowMs; }

    /** The rows of one sample (every subject present) that are to be written. */
    List<UsageSample> changed(List<UsageSample> rows) {
        List<UsageSample> out = new ArrayList<>(rows.size());
        Map<String, UsageSample> seen = new HashMap<>();
        for (UsageSample r : rows) {
            seen.put(r.subject(), r);
            UsageSample last = lastWritten.get(r.subject());
            if (last != null && r.restarts() == 0 && r.timeMs() >= last.timeMs() && r.timeMs() - last.timeMs() < steadyRowMs
                    && sameFigures(last, r)) continue;
            lastWritten.put(r.subject(), r);
            out.add(r);
        }
        lastWritten.keySet().retainAll(seen.keySet());
        return out;
    }

    private static boolean sameFigures(UsageSample a, UsageSample b) {
        return a.cpu() == b.cpu() && a.rss() == b.rss() && a.rate() == b.rate() && a.lagRecords() == b.lagRecords()
                && a.lagSeconds() == b.lagSeconds();
    }
}
