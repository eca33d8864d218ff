package io.sabot.ui.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.PartitionView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;

/**
 * Owners of a group Kafka coordinates are named with their host and coloured by instance and host:
 * up to 3 instances on up to 5 hosts never share a colour, and the same instance of the same host
 * has the same colour whichever engine reported the row (its own: {@code enricher-0}; another:
 * {@code enricher-0@host-b}; through the console's label: {@code web2/enricher-0}).
 */
class OwnersTest {
    private static PartitionView row(int p, String owner, String host) {
        return new PartitionView("tx", p, owner, 0, 0, 0, 0, false, "g", "local", 0, true, null, host, PartitionView.KAFKA);
    }

    @Test
    void namedWithTheirHostAndDistinctAcrossHosts() {
        List<PartitionView> lane = new ArrayList<>();
        int p = 0;
        for (String h : List.of("host-a", "host-b", "host-c", "host-d", "host-e")) {
            for (int i = 0; i < 3; i++) lane.add(row(p++, "enricher-" + i + "@" + h, h));
        }
        Map<String, Integer> hosts = Owners.hosts(lane);
        Set<Color> colors = new HashSet<>();
        for (PartitionView v : lane) colors.add(Owners.color(v, hosts));
        assertThat(colors).hasSize(15);
        assertThat(Owners.label(lane.get(4))).isEqualTo("enricher-1 @ host-b");
        assertThat(Owners.withHosts(lane)).isTrue();
        // the same instance and host, as three engines name it: one colour, one label
        PartitionView own = row(0, "enricher-0", "host-b"), other = row(0, "enricher-0@host-b", "host-b"), console = row(0, "web2/enricher-0", "host-b");
        assertThat(Owners.color(own, hosts)).isEqualTo(Owners.color(other, hosts)).isEqualTo(Owners.color(console, hosts));
        assertThat(Owners.label(own)).isEqualTo(Owners.label(other)).isEqualTo(Owners.label(console)).isEqualTo("enricher-0 @ host-b");
        // a group this engine assigns: named and coloured as before
        PartitionView sabot = new PartitionView("tx", 0, "enricher-0", 3, 0, 0, 0, false, "g", null, 0, true, null, "host-a", PartitionView.SABOT);
        assertThat(Owners.label(sabot)).isEqualTo("enricher-0");
        assertThat(Owners.color(sabot, Owners.hosts(List.of(sabot)))).isEqualTo(Palette.of("enricher-0"));
        assertThat(Owners.color(row(1, null, null), hosts)).isEqualTo(Palette.UNASSIGNED);
    }
}
