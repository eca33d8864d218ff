package io.sabot.partition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The keys a partition owns: {@code [startInclusive, endExclusive)}. Key-range partitioning maps
 * a record key to a point in a key space (by default the 32-bit space [0, 2^32), which fits a
 * long without the overflow a full 64-bit exclusive end would need) and the partitions of a
 * topic split that space into contiguous, non-overlapping ranges.
 */
public record KeyRange(long startInclusive, long endExclusive) implements Comparable<KeyRange> {

    /** Upper end of the default key space. */
    public static final long SPACE_32 = 1L << 32;

    public KeyRange {
        if (endExclusive <= startInclusive) {
            throw new IllegalArgumentException("keyRange: endExclusive (" + endExclusive
                    + ") must be greater than startInclusive (" + startInclusive + ")");
        }
    }

    /** Number of keys; read it as unsigned for spans of 2^63 or more. */
    public long size() {
        return endExclusive - startInclusive;
    }

    public boolean contains(long key) {
        return key >= startInclusive && key < endExclusive;
    }

    public boolean overlaps(KeyRange o) {
        return startInclusive < o.endExclusive && o.startInclusive < endExclusive;
    }

    /** Splits [0, 2^32) into {@code n} contiguous ranges whose sizes differ by at most one. */
    public static List<KeyRange> split(int n) {
        return split(n, 0, SPACE_32);
    }

    /** Splits [Long.MIN_VALUE, Long.MAX_VALUE) into {@code n} contiguous ranges. */
    public static List<KeyRange> split64(int n) {
        return split(n, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Splits [lo, hi) into {@code n} contiguous ranges whose sizes differ by at most one. */
    public static List<KeyRange> split(int n, long lo, long hi) {
        if (n < 1) {
            throw new IllegalArgumentException("partitions: must be >= 1, got " + n);
        }
        // the span hi - lo may exceed Long.MAX_VALUE: do the arithmetic unsigned
        long span = hi - lo;
        if (hi <= lo || Long.compareUnsigned(span, n) < 0) {
            throw new IllegalArgumentException("keyRange: [" + lo + ", " + hi + ") cannot be split into " + n + " ranges");
        }
        long size = Long.divideUnsigned(span, n);
        long extra = Long.remainderUnsigned(span, n);
        List<KeyRange> out = new ArrayList<>(n);
        long start = lo;
        for (int i = 0; i < n; i++) {
            long end = start + size + (i < extra ? 1 : 0);
            out.add(new KeyRange(start, end));
            start = end;
        }
        return Collections.unmodifiableList(out);
    }

    /** Maps a key to the 32-bit key space with the same 64-bit mix as {@link HashAssignor}. */
    public static long keyPoint(String key) {
        return HashAssignor.mix64(HashAssignor.hashString(key)) >>> 32;
    }

    /** Maps a key to the signed 64-bit key space (never Long.MAX_VALUE, see the class comment). */
    public static long keyPoint64(String key) {
        long k = HashAssignor.mix64(HashAssignor.hashString(key));
        return k == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : k;
    }

    @Override
    public int compareTo(KeyRange o) {
        int c = Long.compare(startInclusive, o.startInclusive);
        return c != 0 ? c : Long.compare(endExclusive, o.endExclusive);
    }

    @Override
    public String toString() {
        return "[" + startInclusive + ", " + endExclusive + ")";
    }
}
