package io.sabot.partition;

/**
 * One row of {@code sabot partitions show --json}; component names are the contract's fields.
 *
 * @param owner           owner in the current epoch (an instance id), or null
 * @param committedOffset every record below it has been processed
 * @param lag             high watermark - committed offset, never negative
 * @param ratePerSec      records per second the partition's generated stream grows by
 */
public record PartitionStatus(String topic, int partition, String owner, long epoch, long committedOffset,
                              long lag, double ratePerSec) {
}
