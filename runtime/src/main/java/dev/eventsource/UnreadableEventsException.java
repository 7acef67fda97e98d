package dev.eventsource;

import dev.eventsource.store.StoredEventType;
import java.util.List;

/**
 * {@link Engine#start()} refused to start: the store holds (stream type, event type, version)
 * combinations that the registered aggregates and projections cannot read. The message names each
 * one, what this build reads instead, and the fixes.
 *
 * <pre>{@code
 * try {
 *     engine.start();
 * } catch (UnreadableEventsException e) {
 *     e.unreadable().forEach(t -> log.error("cannot read stored {}", t));   // e.g. Order/OrderPlaced v3
 * }
 * }</pre>
 */
public class UnreadableEventsException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final List<StoredEventType> unreadable;

    /**
     * @param unreadable the combinations no registered class reads, sorted
     * @param message the message naming each of them and the fixes
     */
    public UnreadableEventsException(List<StoredEventType> unreadable, String message) {
        super(message);
        this.unreadable = List.copyOf(unreadable);
    }

    /** The stored combinations this build cannot read, sorted by stream type, event type and version. */
    public List<StoredEventType> unreadable() {
        return unreadable;
    }
}
