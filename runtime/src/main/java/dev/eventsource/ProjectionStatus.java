package dev.eventsource;

import java.time.Instant;

/**
 * Where one partition of a projection stands: the global position it has handled up to, how many
 * events it dead-lettered, why it stopped if it did, and (for asynchronous projections) which
 * instance runs it, until when its lease runs, its stored checkpoint and how far behind the log's
 * head it is. Inline projections report one entry with {@code stream == null}.
 *
 * <p>With a store that shares partitions between instances (the PostgreSQL store), the engine
 * reports every partition of the cluster, not only the ones it runs: a partition another instance
 * runs shows that instance as {@link #owner()} and its stored checkpoint as {@link #position()}.
 *
 * <pre>{@code
 * for (ProjectionStatus s : engine.projectionStatus()) {
 *     if (s.stopped()) log.error("{}/{} stopped: {}", s.projection(), s.partition(), s.failure());
 *     log.info("{}/{} on {}: {} events behind", s.projection(), s.partition(), s.owner(), s.lag());
 * }
 * }</pre>
 *
 * @param projection the projection's name (its checkpoint key)
 * @param stream the stream name from {@link StreamOptions#name()}, or {@code null} for an inline projection
 * @param partition the partition number, from 0
 * @param position the global position up to which every event of this partition was handled: the
 *     worker's progress where this engine runs the partition, else its stored checkpoint (0 if none)
 * @param deadLetters events this partition dead-lettered on this engine since the engine started
 *     (or the projection was rebuilt), less those this engine retried successfully since
 *     ({@code Engine.retryDeadLetters}); never below 0, so it may under-report after retrying dead
 *     letters recorded before a restart (a partition run elsewhere shows what this engine
 *     dead-lettered while it ran it); {@code DeadLetterStore.loadDeadLetters} has them all
 * @param failure why the partition stopped ({@link StreamOptions.FailurePolicy#STOP_PARTITION}; on
 *     another instance too, as its owner recorded it), or
 *     {@code "not started: start() failed: <cause>"} while a failed {@link Engine#start()} left it
 *     unstarted, or {@code null}
 * @param owner the id of the instance that runs the partition ({@link Engine#instanceId()}), or
 *     {@code null} while no live instance holds it (or, for statuses made with the six-argument
 *     constructor, when it is not known); an inline projection's is this engine's
 * @param leaseExpiresAt when the owner's lease of the partition runs out unless renewed, by the
 *     store's clock; {@code null} for an inline projection, a store that does not share partitions
 *     (every partition is this engine's), or a partition no one holds
 * @param checkpoint the partition's checkpoint as the store holds it, or -1 if it has none (an
 *     inline projection, or a partition that never saved one)
 * @param headPosition the global position of the newest event in the store when the status was
 *     taken (the newest this engine knows of, if the store did not answer)
 */
public record ProjectionStatus(String projection, String stream, int partition, long position, long deadLetters,
        String failure, String owner, Instant leaseExpiresAt, long checkpoint, long headPosition) {

    /**
     * A status without ownership, checkpoint or head: no owner or lease known, {@code checkpoint}
     * and {@code headPosition} equal to {@code position} (so {@link #lag()} is 0). The constructor
     * of the record before scale-out, kept for code that builds statuses (tests, adapters).
     */
    public ProjectionStatus(String projection, String stream, int partition, long position, long deadLetters,
            String failure) {
        this(projection, stream, partition, position, deadLetters, failure, null, null, position, position);
    }

    /** Whether the projection runs inline, on the command threads. */
    public boolean inline() {
        return stream == null;
    }

    /**
     * Whether the partition stopped after a failure (here or on the instance that runs it), or
     * never started because {@link Engine#start()} failed.
     */
    public boolean stopped() {
        return failure != null;
    }

    /**
     * How many events of the log the partition still has to read past: {@code headPosition -
     * position}, at least 0; always 0 for an inline projection, which handles each event before its
     * command returns.
     */
    public long lag() {
        return inline() ? 0 : Math.max(0, headPosition - position);
    }
}
