package io.sabot.partition;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable {@code Map<Integer,String>} (partition -> owner) backed by an array, so that
 * assignors and the manager pass 100k-partition assignments around without boxing a HashMap.
 * Unassigned partitions (null owner) are simply absent from the map.
 */
final class OwnerMap extends AbstractMap<Integer, String> {
    private final String[] owners;
    private final int size;

    /** Takes ownership of {@code owners}; callers must not modify it afterwards. */
    OwnerMap(String[] owners) {
        this.owners = owners;
        int n = 0;
        for (String o : owners) {
            if (o != null) {
                n++;
            }
        }
        this.size = n;
    }

    /** Owner of partition p, or null when unassigned or out of range. */
    String owner(int p) {
        return p >= 0 && p < owners.length ? owners[p] : null;
    }

    int partitions() {
        return owners.length;
    }

    String[] copy() {
        return owners.clone();
    }

    /**
     * Reads any partition->owner map into an array of length {@code partitions}. Entries outside
     * [0, partitions) are ignored: a previous assignment may predate a shrink of the topic.
     */
    static String[] toArray(Map<Integer, String> map, int partitions) {
        if (map instanceof OwnerMap) {
            OwnerMap om = (OwnerMap) map;
            return Arrays.copyOf(om.owners, partitions);
        }
        String[] out = new String[partitions];
        if (map != null) {
            for (Map.Entry<Integer, String> e : map.entrySet()) {
                Integer k = e.getKey();
                if (k != null && k >= 0 && k < partitions) {
                    out[k] = e.getValue();
                }
            }
        }
        return out;
    }

    @Override
    public String get(Object key) {
        return key instanceof Integer ? owner((Integer) key) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<Integer, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Integer, String>> iterator() {
                return new Iterator<>() {
                    int next = advance(0);

                    private int advance(int from) {
                        int i = from;
                        while (i < owners.length && owners[i] == null) {
                            i++;
                        }
                        return i;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < owners.length;
                    }

                    @Override
                    public Entry<Integer, String> next() {
                        if (next >= owners.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<Integer, String> e = new SimpleImmutableEntry<>(next, owners[next]);
                        next = advance(next + 1);
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
