package io.sabot.partition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * What a member of a Sabot consumer group tells the group leader in its subscription's user data:
 * which host and instance it is, its strategy (the leader's wins; this shows a disagreement), its
 * load, and what it owned (stickiness across eager rebalances, which revoke before joining).
 * Lines of UTF-8 text, {@code sabot1} first; anything unreadable decodes as "nothing known", so a
 * member with another assignor version never breaks the leader.
 */
record MemberData(String host, String instance, String strategy, double rate, int generation, List<TopicPartition> owned) {
    private static final String MAGIC = "sabot1";

    MemberData {
        owned = owned == null ? List.of() : List.copyOf(owned);
    }

    static final MemberData NONE = new MemberData("", "", "", 0, -1, List.of());

    /** {@code host/instance}, or "" when neither is known. */
    String key() {
        if (host.isEmpty() && instance.isEmpty()) return "";
        return host.isEmpty() ? instance : host + "/" + instance;
    }

    ByteBuffer encode() {
        StringBuilder b = new StringBuilder(MAGIC).append('\n').append(host).append('\n').append(instance).append('\n')
                .append(strategy).append('\n').append(rate).append('\n').append(generation).append('\n');
        for (int i = 0; i < owned.size(); i++) {
            if (i > 0) b.append(',');
            b.append(owned.get(i).topic()).append(':').append(owned.get(i).partition());
        }
        return ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    static MemberData decode(ByteBuffer buf) {
        if (buf == null || !buf.hasRemaining()) return NONE;
        ByteBuffer d = buf.duplicate();
        byte[] bytes = new byte[d.remaining()];
        d.get(bytes);
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length < 7 || !lines[0].equals(MAGIC)) return NONE;
        try {
            List<TopicPartition> owned = new ArrayList<>();
            if (!lines[6].isEmpty()) {
                for (String tp : lines[6].split(",")) {
                    int colon = tp.lastIndexOf(':');
                    owned.add(new TopicPartition(tp.substring(0, colon), Integer.parseInt(tp.substring(colon + 1))));
                }
            }
            return new MemberData(lines[1], lines[2], lines[3], Double.parseDouble(lines[4]), Integer.parseInt(lines[5]), owned);
        } catch (RuntimeException e) {
            return NONE;
        }
    }
}
