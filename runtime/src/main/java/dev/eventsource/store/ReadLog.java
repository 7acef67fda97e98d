package dev.eventsource.store;

import java.util.List;

/**
 * Role: read the global log, all streams interleaved, in position order, in bounded batches, the
 * way projections tail it.
 *
 * <pre>{@code
 * long position = 0;   // or a saved checkpoint
 * for (List<StoredEvent> batch; !(batch = store.readLog(position, 500)).isEmpty(); ) {
 *     batch.forEach(e -> log.info(e.describe()));
 *     position = batch.get(batch.size() - 1).globalPosition();
 * }
 * }</pre>
 */
public interface ReadLog {

    /**
     * Up to {@code limit} events with a position greater than {@code afterPosition}, in position
     * order. A reader that tails the log by passing the last position it saw never misses an event:
     * an event that becomes visible later never has a position at or below one already returned.
     *
     * @throws StoreException if the store fails
     */
    List<StoredEvent> readLog(long afterPosition, int limit);

    /** The highest position {@link #readLog} can return right now; {@code 0} for an empty log. */
    long headPosition();

    /**
     * Registers a callback run (on a store thread, quickly) after events are committed, so tailing
     * readers can wake at once instead of polling. Readers must still poll as a fallback; a store
     * without notifications returns a no-op handle.
     *
     * @return a handle that unregisters the callback
     */
    default AutoCloseable onAppend(Runnable listener) {
        return () -> { };
    }
}
