package dev.eventsource.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An event a projection could not handle after its retries, kept with the error so it can be
 * inspected and replayed; the projection went on with the next event.
 *
 * <pre>{@code
 * for (DeadLetter d : store.loadDeadLetters("order-summary")) {
 *     log.warn("{} failed at {}: {}", d.projection(), d.globalPosition(), d.error());
 * }
 * }</pre>
 *
 * @param projection the projection's name
 * @param partition the partition that handled the event
 * @param globalPosition the event's position in the global log
 * @param streamType the event's stream type
 * @param streamId the event's stream id
 * @param version the event's version in its stream
 * @param eventType the event's type name
 * @param attempts how many times the projection tried
 * @param error the last error: exception class, message and stack trace
 * @param failedAt when the projection gave up
 */
public record DeadLetter(
        String projection,
        int partition,
        long globalPosition,
        String streamType,
        String streamId,
        long version,
        String eventType,
        int attempts,
        String error,
        Instant failedAt) {

    /** Checks that nothing is missing. */
    public DeadLetter {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(failedAt, "failedAt");
    }
}
