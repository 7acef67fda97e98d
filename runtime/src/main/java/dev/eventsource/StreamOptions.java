package dev.eventsource;

import java.time.Duration;
import java.util.Objects;

/**
 * How an asynchronous projection is fed: a named stream of {@code partitions} workers, each with a
 * bounded queue of {@code bufferSize} events, and what happens when the projection throws. A
 * projection registered without options is inline instead (it runs before {@code execute} returns).
 *
 * <pre>{@code
 * engine.registerProjection(summary, StreamOptions.named("orders").partitions(4).bufferSize(1000));
 * // for a projection with side effects: retry more slowly, then stop rather than skip the event
 * StreamOptions mail = StreamOptions.named("mail")
 *         .maxAttempts(5).backoff(Duration.ofMillis(100))
 *         .onFailure(StreamOptions.FailurePolicy.STOP_PARTITION);
 * }</pre>
 *
 * <p>Events are routed to a partition by a stable hash of their stream id, so one aggregate's events
 * reach the projection in version order while different aggregates proceed in parallel. Immutable:
 * every method returns a new instance.
 *
 * @param name the stream's name: names its threads and appears in logs and status
 * @param partitions number of partition workers, 1 to 1024 (default 1)
 * @param bufferSize capacity of each partition's queue; a full queue makes the reader wait
 *     (backpressure), never drops (default 1024)
 * @param batchSize how many events the reader takes from the store's log at once (default 512)
 * @param failurePolicy what happens to an event the projection still fails on after
 *     {@code maxAttempts} (default {@link FailurePolicy#DEAD_LETTER})
 * @param maxAttempts how often an event is tried before the failure policy applies, at least 1 (default 3)
 * @param backoff the wait after the first failed attempt, doubled after each further one (default 10 ms)
 * @param maxBackoff the longest wait between attempts (default 1 s)
 * @param pollInterval how often the reader looks for new events when the store does not wake it (default 100 ms)
 */
public record StreamOptions(
        String name,
        int partitions,
        int bufferSize,
        int batchSize,
        FailurePolicy failurePolicy,
        int maxAttempts,
        Duration backoff,
        Duration maxBackoff,
        Duration pollInterval) {

    /** The largest number of partitions one projection may have. */
    public static final int MAX_PARTITIONS = 1024;

    /** What happens to an event a projection keeps failing on. */
    public enum FailurePolicy {
        /**
         * Record the event and the error with {@code EventStore.saveDeadLetter}, log it, and go on
         * with the next event.
         */
        DEAD_LETTER,
        /**
         * Stop the partition at the event: its later events wait (other partitions go on); the error
         * is logged and shown by {@link Engine#projectionStatus()}. A new engine (or a rebuild)
         * resumes from the failed event.
         */
        STOP_PARTITION
    }

    /** Validates every option; messages name the stream and the bad value. */
    public StreamOptions {
        Objects.requireNonNull(name, "stream name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("stream name must not be blank: '" + name + "'");
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be between 1 and " + MAX_PARTITIONS + ": " + partitions
                    + " (stream " + name + ")");
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1: " + bufferSize + " (stream " + name + ")");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize + " (stream " + name + ")");
        }
        Objects.requireNonNull(failurePolicy, "failurePolicy");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts + " (stream " + name + ")");
        }
        requireNonNegative("backoff", backoff, name);
        requireNonNegative("maxBackoff", maxBackoff, name);
        if (maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be shorter than backoff: " + maxBackoff + " < "
                    + backoff + " (stream " + name + ")");
        }
        requireNonNegative("pollInterval", pollInterval, name);
        if (pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval + " (stream " + name + ")");
        }
    }

    private static void requireNonNegative(String what, Duration value, String stream) {
        Objects.requireNonNull(value, what);
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + value + " (stream " + stream + ")");
        }
    }

    /** Options for a stream called {@code name} with the defaults: 1 partition, buffer 1024, dead letters after 3 attempts. */
    public static StreamOptions named(String name) {
        return new StreamOptions(name, 1, 1024, 512, FailurePolicy.DEAD_LETTER, 3, Duration.ofMillis(10),
                Duration.ofSeconds(1), Duration.ofMillis(100));
    }

    /** These options with {@code partitions} partition workers. */
    public StreamOptions partitions(int partitions) {
        return new StreamOptions(name, partitions, bufferSize, batchSize, failurePolicy, maxAttempts, backoff, maxBackoff, pollInterval);
    }

    /** These options with queues of {@code bufferSize} events per partition. */
    public StreamOptions bufferSize(int bufferSize) {
        return new StreamOptions(name, partitions, bufferSize, batchSize, failurePolicy, maxAttempts, backoff, maxBackoff, pollInterval);
    }

    /** These options with the reader taking {@code batchSize} events from the log at once. */
    public StreamOptions batchSize(int batchSize) {
        return new StreamOptions(name, partitions, bufferSize, batchSize, failurePolicy, maxAttempts, backoff, maxBackoff, pollInterval);
    }

    /** These options with another failure policy. */
    public StreamOptions onFailure(FailurePolicy failurePolicy) {
        return new StreamOptions(name, partitions, bufferSize, batchSize, failurePolicy, maxAttempts, backoff, maxBackoff, pollInterval);
    }

    /** These options with {@code maxAttempts} tries per event before the failure policy applies. */
    public StreamOptions maxAttempts(int maxAttempts) {
        return new StreamOptions(name, partitions, bufferSize, batchSize, failurePolicy, maxAttempts, backoff, maxBackoff, pollInterval);
    }

    /** These options with {@code backoff} after the first failure (doubling, capped by {@link #maxBackoff()}). */
    public StreamOptions backoff(Duration backoff) {
        Duration max = backoff != null && maxBackoff.compareTo(backoff) < 0 ? backoff : maxBackoff;
        return new StreamOptions(name, partitions, bufferSize, batchSize, failurePolicy, maxAttempts, backoff, max, pollInterval);
    }

    /** These options with waits between attempts capped at {@code maxBackoff}. */
    public StreamOptions maxBackoff(Duration maxBackoff) {
        return new StreamOptions(name, partitions, bufferSize, batchSize, failurePolicy, maxAttempts, backoff, maxBackoff, pollInterval);
    }

    /** These options with the reader polling the store every {@code pollInterval} when not woken. */
    public StreamOptions pollInterval(Duration pollInterval) {
        return new StreamOptions(name, partitions, bufferSize, batchSize, failurePolicy, maxAttempts, backoff, maxBackoff, pollInterval);
    }
}
