package dev.eventsource;

/**
 * Where one partition of a projection stands: the global position it has handled up to, how many
 * events it dead-lettered, and why it stopped if it did. Inline projections report one entry with
 * {@code stream == null}.
 *
 * <pre>{@code
 * for (ProjectionStatus s : engine.projectionStatus()) {
 *     if (s.stopped()) log.error("{}/{} stopped: {}", s.projection(), s.partition(), s.failure());
 * }
 * }</pre>
 *
 * @param projection the projection's name (its checkpoint key)
 * @param stream the stream name from {@link StreamOptions#name()}, or {@code null} for an inline projection
 * @param partition the partition number, from 0
 * @param position the global position up to which every event of this partition was handled
 * @param deadLetters events this partition dead-lettered since the engine started
 * @param failure why the partition stopped ({@link StreamOptions.FailurePolicy#STOP_PARTITION}), or
 *     {@code "not started: start() failed: <cause>"} while a failed {@link Engine#start()} left it
 *     unstarted, or {@code null}
 */
public record ProjectionStatus(String projection, String stream, int partition, long position, long deadLetters, String failure) {

    /** Whether the projection runs inline, on the command threads. */
    public boolean inline() {
        return stream == null;
    }

    /** Whether the partition stopped after a failure, or never started because {@link Engine#start()} failed. */
    public boolean stopped() {
        return failure != null;
    }
}
