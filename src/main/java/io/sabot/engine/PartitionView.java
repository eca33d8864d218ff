package io.sabot.engine;

/** One partition as the contract's {@code partitions show --json} shows it, plus whether it moved in the last rebalance. */
public record PartitionView(String topic, int partition, String owner, long epoch, long committedOffset, long lag,
                           double ratePerSec, boolean moved) {
}
