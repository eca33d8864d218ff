package io.sabot.ui.partitions;

import io.sabot.engine.PartitionView;
import io.sabot.multihost.HostNames;
import io.sabot.spec.InstanceIds;
import javafx.scene.paint.Color;

/**
 * How the partition map names and colours an owner. In a group Kafka coordinates the owners run on
 * several hosts and two hosts may both have an {@code enricher-0}: such an owner is its instance
 * and its host ({@code enricher-0 @ host-b}), coloured by both: the agent's base colour, then
 * 5 entries per instance index and 1 per host (the lane's hosts in sorted order), so up to 3
 * instances on each of up to 5 hosts all get distinct colours, and two engines' maps of the same
 * group agree. Any other owner is named and coloured as before ({@link Palette#of}).
 */
final class Owners {
    private Owners() {}

    /** True when the lane's owners should be shown with their hosts. */
    static boolean withHosts(java.util.List<PartitionView> parts) {
        for (PartitionView p : parts) if (p.kafkaCoordinated()) return true;
        return false;
    }

    /** The instance on its own host: without the console's host label and without {@code @host}. */
    static String instance(PartitionView p) {
        return HostNames.localName(p.ownerInstance());
    }

    /** {@code enricher-0 @ host-b} in a group Kafka coordinates (host known), else the owner as it is. */
    static String label(PartitionView p) {
        if (p.owner() == null) return null;
        return p.kafkaCoordinated() && p.host() != null ? instance(p) + " @ " + p.host() : p.owner();
    }

    /** The lane's owner hosts, sorted, each with its position (what shifts its owners' colours). */
    static java.util.Map<String, Integer> hosts(java.util.List<PartitionView> parts) {
        java.util.TreeSet<String> hs = new java.util.TreeSet<>();
        for (PartitionView p : parts) if (p.kafkaCoordinated() && p.host() != null) hs.add(p.host());
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        for (String h : hs) out.put(h, out.size());
        return out;
    }

    /** The owner's colour, given the lane's {@link #hosts}. */
    static Color color(PartitionView p, java.util.Map<String, Integer> hosts) {
        if (p.owner() == null) return Palette.UNASSIGNED;
        Integer h = p.kafkaCoordinated() && p.host() != null ? hosts.get(p.host()) : null;
        if (h == null) return Palette.of(p.owner());
        String instance = instance(p);
        String agent = InstanceIds.agentOf(instance);
        int base = Math.floorMod((agent == null ? instance : agent).hashCode(), Palette.size());
        int idx = agent == null ? 0 : InstanceIds.indexOf(instance);
        return Palette.at(base + idx * 5 + h);
    }
}
