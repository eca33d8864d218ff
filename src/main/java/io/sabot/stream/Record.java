package io.sabot.stream;

/**
 * One card transaction of the embedded stream. {@code cardId} is the record key; a card lives in
 * exactly one partition ({@link EmbeddedStream#partitionOfCard(long)}). Amounts are in cents.
 */
public record Record(String topic, int partition, long offset, long cardId, long amountCents,
                     int merchantId, String country, long timestampMs) {

    /** The merchant's display name, from {@link Catalog}. */
    public String merchant() {
        return Catalog.merchantName(merchantId);
    }

    /** The amount in currency units. */
    public double amount() {
        return amountCents / 100.0;
    }
}
