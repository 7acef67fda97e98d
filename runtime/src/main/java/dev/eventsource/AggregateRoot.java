package dev.eventsource;

import dev.eventsource.internal.AggregateAccess;
import dev.eventsource.internal.Descriptors;
import dev.eventsource.internal.Uuid7;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.UnknownEventException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
    private ArrayList<Object> uncommitted;
    /** Envelopes of the recorded events, kept only when an {@code @Apply} method takes one. */
    private ArrayList<EventEnvelope<?>> envelopes;
    private AggregateDescriptor<AggregateRoot> descriptor;
    private String streamId;
    private Map<String, String> metadata = Map.of();
    /** The thread running the command that may record events now; {@code null} outside a command. */
    private Thread recorder;
    /** The engine's clock, for provisional envelopes; set with {@link #recorder}. */
    private Clock clock;

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
        return uncommitted == null ? List.of() : Collections.unmodifiableList(uncommitted);
    }

    /**
     * Records a new event: applies it to this aggregate at once and keeps it for the append. An
     * {@code @Apply} method that takes an {@link EventEnvelope} gets one with the event's id, time,
     * version and the command's metadata, and global position {@code 0} (not committed yet).
     *
     * <p>Only a command records: call it from {@link Command#perform} (or {@code validate}) on the
     * thread that executes the command. Anywhere else (on an instance {@code execute} returned, say)
     * it would record an event no command appends, or that an unrelated later command would.
     *
     * @throws UnknownEventException if this aggregate has no {@code @Apply} method for the event's class
     * @throws IllegalStateException outside a command, or on another thread than the command's
     */
    public final void record(Object event) {
        Objects.requireNonNull(event, "event");
        if (recorder != Thread.currentThread()) {
            throw new IllegalStateException("record(" + event.getClass().getName() + ") called outside a command on "
                    + getClass().getName() + " " + Objects.requireNonNullElse(streamId, "(not loaded by an engine)")
                    + (recorder == null ? "" : " (a command runs on it on thread " + recorder.getName() + ")")
                    + ": events are recorded only in Command.perform, on the thread that executes the command;"
                    + " run a command with engine.execute(...) instead");
        }
        AggregateDescriptor<AggregateRoot> d = descriptor();
        EventEnvelope<?> envelope = d.needsEnvelope() ? provisionalEnvelope(d, event) : null;
        d.apply(this, event, envelope);
        if (uncommitted == null) {
            uncommitted = new ArrayList<>(4);
        }
        uncommitted.add(event);
        if (envelope != null) {
            if (envelopes == null) {
                envelopes = new ArrayList<>(4);
            }
            envelopes.add(envelope);
        }
        version++;
    }

    private EventEnvelope<?> provisionalEnvelope(AggregateDescriptor<AggregateRoot> d, Object event) {
        EventCodec<?> codec = d.codecOf(event);
        if (codec == null) {
            throw new UnknownEventException(d.streamType(), event.getClass().getName());
        }
        String stream = streamId != null ? streamId : Objects.requireNonNullElse(id(), "");
        Instant now = clock.instant();
        return new EventEnvelope<>(event, codec.name(), d.streamType(), stream, version + 1, 0,
                Uuid7.next(now.toEpochMilli()), now, metadata);
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

    /** The engine's view of the bookkeeping above; handed only to the engine's internals. */
    static AggregateAccess access() {
        return Access.INSTANCE;
    }

    private static final class Access implements AggregateAccess {

        static final Access INSTANCE = new Access();

        @Override
        @SuppressWarnings("unchecked")
        public void attach(AggregateRoot aggregate, AggregateDescriptor<?> descriptor, String streamId) {
            aggregate.descriptor = (AggregateDescriptor<AggregateRoot>) descriptor;
            aggregate.streamId = streamId;
        }

        @Override
        public void loaded(AggregateRoot aggregate, long version) {
            aggregate.version = version;
        }

        @Override
        public void beginCommand(AggregateRoot aggregate, Map<String, String> metadata, Clock clock) {
            aggregate.metadata = metadata;
            aggregate.clock = clock;
            aggregate.recorder = Thread.currentThread();
            // Nothing can be left over (record() refuses outside a command), but a command must never
            // append events it did not record: start from none.
            if (aggregate.uncommitted != null) {
                aggregate.uncommitted.clear();
            }
            if (aggregate.envelopes != null) {
                aggregate.envelopes.clear();
            }
        }

        @Override
        public List<Object> uncommitted(AggregateRoot aggregate) {
            return aggregate.uncommitted == null ? List.of() : aggregate.uncommitted;
        }

        @Override
        public EventEnvelope<?> recordedEnvelope(AggregateRoot aggregate, int index) {
            return aggregate.envelopes == null ? null : aggregate.envelopes.get(index);
        }

        @Override
        public void committed(AggregateRoot aggregate) {
            if (aggregate.uncommitted != null) {
                aggregate.uncommitted.clear();
            }
            if (aggregate.envelopes != null) {
                aggregate.envelopes.clear();
            }
            aggregate.metadata = Map.of();
            aggregate.recorder = null;
        }
    }
}
