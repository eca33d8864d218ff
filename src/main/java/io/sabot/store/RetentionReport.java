package io.sabot.store;

import java.time.Duration;
import java.time.Instant;

/**
 * What one {@link RetentionTask} run did.
 *
 * @param at                 the run's "now"
 * @param rawDownsampled     raw metric rows replaced by averages
 * @param bucketsWritten     averaged rows written
 * @param metricsExpired     metric rows deleted as too old
 * @param spansDeleted       spans deleted over the cap
 * @param transitionsDeleted transitions deleted over the cap
 * @param eventsDeleted      events deleted over the cap
 * @param resultsDeleted     lifecycle results deleted over the cap
 * @param assignmentsDeleted assignments deleted over the cap
 * @param transactions       transactions committed
 * @param took               wall time
 */
public record RetentionReport(Instant at, long rawDownsampled, long bucketsWritten, long metricsExpired,
                              long spansDeleted, long transitionsDeleted, long eventsDeleted, long resultsDeleted,
                              long assignmentsDeleted, long transactions, Duration took) {
}
