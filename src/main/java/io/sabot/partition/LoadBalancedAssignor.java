package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps the previous owners and moves partitions off instances whose measured load is far
 * above the mean. With no load data it is {@link StickyAssignor}.
 *
 * <p>Load model. An instance's score is its message rate relative to the members' mean rate,
 * averaged with its CPU relative to the mean CPU (each term only when that mean is > 0), so the
 * mean score is 1. An instance's score is spread evenly over the partitions it holds (the cost of
 * moving one of them); an instance that holds none keeps its score as a fixed base load; a
 * member with no data is estimated at the average per-partition cost times its partition count.
 *
 * <p>Hysteresis. Nothing moves unless the highest load exceeds {@code trigger} x mean
 * (default 1.25); once triggered, partitions move from the most to the least loaded member
 * until the highest is at most {@code target} x mean (default 1.10) or no move lowers it. Loads
 * that wobble around the mean therefore never cause a move, and one rebalance leaves enough
 * headroom that the next measurement does not immediately trigger another.
 */
public final class LoadBalancedAssignor implements Assignor {
    public static final double DEFAULT_TRIGGER = 1.25;
    public static final double DEFAULT_TARGET = 1.10;

    private final double trigger;
    private final double target;

    public LoadBalancedAssignor() {
        this(DEFAULT_TRIGGER, DEFAULT_TARGET);
    }

    public LoadBalancedAssignor(double trigger, double target) {
        if (!(trigger >= 1.0)) {
            throw new IllegalArgumentException("trigger: must be >= 1.0, got " + trigger);
        }
        if (!(target >= 1.0 && target <= trigger)) {
            throw new IllegalArgumentException("target: must be between 1.0 and trigger (" + trigger + "), got " + target);
        }
        this.trigger = trigger;
        this.target = target;
    }

    @Override
    public TopicStrategy strategy() {
        return TopicStrategy.load_balanced;
    }

    @Override
    public Map<Integer, String> assign(int partitions, List<String> members, Map<Integer, String> previous,
                                       Map<String, InstanceLoad> load, Map<Integer, KeyRange> ranges) {
        String[] m = Assignor.checkMembers(partitions, members);
        int n = m.length;
        String[] prev = OwnerMap.toArray(previous, partitions);
        if (n == 0 || partitions == 0) {
            return new OwnerMap(new String[partitions]);
        }
        double[] score = scores(m, load);
        if (score == null) {
            return new OwnerMap(StickyAssignor.assignArray(partitions, m, prev));
        }
        Plan plan = new Plan(partitions, m, prev, score);
        plan.placeOrphans();
        plan.balance(trigger, target);
        return new OwnerMap(plan.result());
    }

    /** Mean-normalised scores, or null when no member has any load data (then: sticky). */
    static double[] scores(String[] m, Map<String, InstanceLoad> load) {
        int n = m.length;
        double sumRate = 0;
        double sumCpu = 0;
        boolean any = false;
        for (String id : m) {
            InstanceLoad l = load == null ? null : load.get(id);
            if (l != null) {
                any = true;
                sumRate += l.messageRate();
                sumCpu += l.cpu();
            }
        }
        if (!any || (sumRate == 0 && sumCpu == 0)) {
            return null;
        }
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            InstanceLoad l = load.get(m[i]);
            if (l == null) {
                s[i] = Double.NaN; // unknown: estimated from its partitions later
                continue;
            }
            double v = 0;
            int terms = 0;
            if (sumRate > 0) {
                v += l.messageRate() / (sumRate / n);
                terms++;
            }
            if (sumCpu > 0) {
                v += l.cpu() / (sumCpu / n);
                terms++;
            }
            s[i] = v / terms;
        }
        return s;
    }

    /** Estimated loads of {@code owners} under the model above, for tests and the UI. */
    public static double[] estimatedLoads(List<String> members, Map<Integer, String> previous,
                                          Map<String, InstanceLoad> load, Map<Integer, String> owners, int partitions) {
        String[] m = Assignor.checkMembers(partitions, members);
        double[] score = scores(m, load);
        if (score == null) {
            return new double[m.length];
        }
        Plan plan = new Plan(partitions, m, OwnerMap.toArray(previous, partitions), score);
        plan.placeOrphans();
        return plan.loadsOf(OwnerMap.toArray(owners, partitions));
    }

    /** Mutable working state of one call. */
    private static final class Plan {
        final String[] m;
        final int[] owner;       // member index per partition, -1 = none yet
        final double[] cost;     // estimated cost per partition
        final double[] loadOf;   // estimated load per member
        final List<List<Integer>> held = new ArrayList<>();
        final List<Integer> orphans = new ArrayList<>();
        final double avgCost;

        Plan(int partitions, String[] m, String[] prev, double[] score) {
            this.m = m;
            int n = m.length;
            Map<String, Integer> index = new java.util.HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                index.put(m[i], i);
                held.add(new ArrayList<>());
            }
            owner = new int[partitions];
            cost = new double[partitions];
            loadOf = new double[n];
            for (int p = 0; p < partitions; p++) {
                Integer i = prev[p] == null ? null : index.get(prev[p]);
                owner[p] = i == null ? -1 : i;
                if (i == null) {
                    orphans.add(p);
                } else {
                    held.get(i).add(p);
                }
            }
            // average per-partition cost over members we have data for and that hold partitions
            double known = 0;
            int knownParts = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                if (!Double.isNaN(score[i])) {
                    total += score[i];
                    if (!held.get(i).isEmpty()) {
                        known += score[i];
                        knownParts += held.get(i).size();
                    }
                }
            }
            avgCost = knownParts > 0 && known > 0 ? known / knownParts : Math.max(total, 1e-9) / partitions;
            for (int i = 0; i < n; i++) {
                List<Integer> h = held.get(i);
                double c;
                if (Double.isNaN(score[i])) {
                    c = avgCost;
                    loadOf[i] = avgCost * h.size();
                } else if (h.isEmpty()) {
                    c = 0;
                    loadOf[i] = score[i]; // base load that no move can shift
                } else {
                    c = score[i] / h.size();
                    loadOf[i] = score[i];
                }
                for (int p : h) {
                    cost[p] = c;
                }
            }
        }

        /** Partitions whose owner is gone go, one by one, to the least loaded member. */
        void placeOrphans() {
            for (int p : orphans) {
                int lo = argMin();
                cost[p] = avgCost;
                give(p, -1, lo);
            }
            orphans.clear();
        }

        void balance(double trigger, double target) {
            double mean = 0;
            for (double l : loadOf) {
                mean += l;
            }
            mean /= m.length;
            if (loadOf[argMax()] <= trigger * mean) {
                return; // within the bound: no move at all (no flapping)
            }
            int limit = owner.length; // each move strictly lowers the pair's max; cap for safety
            while (limit-- > 0) {
                int hi = argMax();
                if (loadOf[hi] <= target * mean) {
                    return;
                }
                int lo = argMin();
                double gap = loadOf[hi] - loadOf[lo];
                // the partition whose cost is closest to half the gap, and < the gap
                List<Integer> h = held.get(hi);
                int bestK = -1;
                double bestDist = Double.MAX_VALUE;
                for (int k = 0; k < h.size(); k++) {
                    double c = cost[h.get(k)];
                    if (c > 0 && c < gap) {
                        double d = Math.abs(c - gap / 2);
                        if (d < bestDist) {
                            bestDist = d;
                            bestK = k;
                        }
                    }
                }
                if (bestK < 0) {
                    return; // no move lowers the maximum
                }
                int p = h.get(bestK);
                give(p, hi, lo);
            }
        }

        private void give(int p, int from, int to) {
            if (from >= 0) {
                held.get(from).remove(Integer.valueOf(p));
                loadOf[from] -= cost[p];
            }
            owner[p] = to;
            held.get(to).add(p);
            loadOf[to] += cost[p];
        }

        private int argMax() {
            int best = 0;
            for (int i = 1; i < loadOf.length; i++) {
                if (loadOf[i] > loadOf[best]) {
                    best = i;
                }
            }
            return best;
        }

        private int argMin() {
            int best = 0;
            for (int i = 1; i < loadOf.length; i++) {
                if (loadOf[i] < loadOf[best]
                        || (loadOf[i] == loadOf[best] && held.get(i).size() < held.get(best).size())) {
                    best = i;
                }
            }
            return best;
        }

        String[] result() {
            String[] out = new String[owner.length];
            for (int p = 0; p < owner.length; p++) {
                out[p] = m[owner[p]];
            }
            return out;
        }

        /** Loads if the partitions were owned as in {@code owners}, with this plan's costs. */
        double[] loadsOf(String[] owners) {
            Map<String, Integer> index = new java.util.HashMap<>();
            for (int i = 0; i < m.length; i++) {
                index.put(m[i], i);
            }
            double[] l = loadOf.clone();
            for (int p = 0; p < owner.length; p++) {
                l[owner[p]] -= cost[p];
                Integer i = owners[p] == null ? null : index.get(owners[p]);
                if (i != null) {
                    l[i] += cost[p];
                }
            }
            return l;
        }
    }
}
