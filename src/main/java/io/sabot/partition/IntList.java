package io.sabot.partition;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/** An immutable List<Integer> over an int[]: no boxing of 100k-element partition lists. */
final class IntList extends AbstractList<Integer> implements RandomAccess {
    private final int[] values;
    private final int size;

    /** Takes ownership of the first {@code size} elements of {@code values}. */
    IntList(int[] values, int size) {
        this.values = values;
        this.size = size;
    }

    static IntList copyOf(int[] values, int size) {
        return new IntList(Arrays.copyOf(values, size), size);
    }

    @Override
    public Integer get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + ", size " + size);
        }
        return values[index];
    }

    @Override
    public int size() {
        return size;
    }
}
