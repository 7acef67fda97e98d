package dev.eventsource;

/**
 * A read model fed by events, for those who prefer one method to {@code @Projection} classes with
 * {@code @Apply} methods. Register it with {@link Engine#registerProjection}.
 *
 * <pre>{@code
 * class Counter implements Projection {
 *     final LongAdder created = new LongAdder();
 *     public void handle(EventEnvelope<?> e) {
 *         if (e.data() instanceof OrderCreated) created.increment();
 *     }
 *     public void reset() { created.reset(); }
 * }
 * }</pre>
 */
public interface Projection extends Resettable {

    /** Handles one event. Throwing makes the engine retry and then apply the failure policy. */
    void handle(EventEnvelope<?> event);

    /** Forgets everything, before a rebuild replays the whole log. Does nothing by default. */
    @Override
    default void reset() {
    }

    /** Stable name, the key of this projection's checkpoints. Defaults to the simple class name. */
    default String name() {
        return getClass().getSimpleName();
    }
}
