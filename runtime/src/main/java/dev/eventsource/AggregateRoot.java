package dev.eventsource;

import dev.eventsource.internal.Descriptors;
import dev.eventsource.spi.AggregateDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Base class of every {@code @Aggregate}: holds the version and the events recorded by the command
 * being executed. {@link #record(Object)} applies an event at once through the generated
 * dispatcher, so the rest of {@link Command#perform} sees the new state.
 *
 * <pre>{@code
 * @Aggregate
 * public class Order extends AggregateRoot {
 *     String id; String status;
 *     @Override public String id() { return id; }
 *     @Apply void on(OrderCreated e) { id = e.id(); status = "created"; }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: an instance belongs to one command at a time.
 */
public abstract class AggregateRoot {

    private long version;
    private List<Object> uncommitted = List.of();
    private AggregateDescriptor<AggregateRoot> descriptor;

    /** Creates an aggregate with version 0 and no events. */
    protected AggregateRoot() {
    }

    /** The aggregate's id, normally set by the first event's {@code @Apply} method. */
    public abstract String id();

    /** Number of events applied so far, committed or just recorded; 0 for a new aggregate. */
    public final long version() {
        return version;
    }

    /** The events recorded since the aggregate was loaded, in order; read-only. */
    public final List<Object> uncommittedEvents() {
        return Collections.unmodifiableList(uncommitted);
    }

    /**
     * Records a new event: applies it to this aggregate at once and keeps it for the append.
     *
     * @throws dev.eventsource.spi.UnknownEventException if this aggregate has no {@code @Apply}
     *     method for the event's class
     */
    public final void record(Object event) {
        Objects.requireNonNull(event, "event");
        descriptor().apply(this, event, null);
        if (uncommitted.isEmpty()) {
            uncommitted = new ArrayList<>(4);
        }
        uncommitted.add(event);
        version++;
    }

    @SuppressWarnings("unchecked")
    private AggregateDescriptor<AggregateRoot> descriptor() {
        AggregateDescriptor<AggregateRoot> d = descriptor;
        if (d == null) {
            d = (AggregateDescriptor<AggregateRoot>) Descriptors.aggregate(getClass());
            descriptor = d;
        }
        return d;
    }
}
