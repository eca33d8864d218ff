package io.sabot.partition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a Kafka-coordinated group through the AdminClient: members and assignment
 * ({@code describeConsumerGroups}), committed offsets ({@code listConsumerGroupOffsets}) and log
 * ends ({@code listOffsets}). Every call is bounded by {@code timeoutMs}; callers run it on a
 * thread of their own (never an engine path), and a failure is an exception whose message names
 * the group and what did not answer.
 */
public final class GroupReader {
    private final Admin admin;
    private final long timeoutMs;

    public GroupReader(Admin admin, long timeoutMs) {
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    public GroupSnapshot read(String group, Collection<String> topics) {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            Map<TopicPartition, String[]> owner = new HashMap<>();
            List<GroupSnapshot.Member> members = new ArrayList<>();
            for (MemberDescription m : d.members()) {
                String[] hi = io.sabot.kafka.GroupMembership.parseClientId(m.clientId());
                String instance = hi == null ? m.clientId() : hi[0];
                String host = hi == null ? m.host() : hi[1];
                members.add(new GroupSnapshot.Member(m.consumerId(), m.clientId(), host, instance, m.assignment().topicPartitions().size()));
                for (TopicPartition tp : m.assignment().topicPartitions()) owner.put(tp, new String[] {host, instance});
            }
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (TopicDescription t : described.values()) {
                for (var p : t.partitions()) ends.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(ends).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            Map<String, GroupSnapshot.Partition> parts = new TreeMap<>();
            for (TopicPartition tp : ends.keySet()) {
                String[] o = owner.get(tp);
                OffsetAndMetadata c = committed.get(tp);
                parts.put(String.format("%s\u0000%09d", tp.topic(), tp.partition()), new GroupSnapshot.Partition(tp.topic(), tp.partition(),
                        o == null ? null : o[0], o == null ? null : o[1], c == null ? -1 : c.offset(), end.get(tp).offset()));
            }
            return new GroupSnapshot(group, d.groupState() == null ? "Unknown" : d.groupState().toString(), members,
                    new ArrayList<>(parts.values()), System.currentTimeMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("reading consumer group " + group + ": interrupted");
        } catch (TimeoutException e) {
            throw new IllegalStateException("reading consumer group " + group + ": no answer from the cluster in " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("reading consumer group " + group + ": " + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()));
        }
    }
}
