package dev.eventsource.internal.projection;

import dev.eventsource.EventEnvelope;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.internal.Decoding;
import dev.eventsource.EventDecodingException;
import dev.eventsource.Projection;
import dev.eventsource.Resettable;
import dev.eventsource.TransactionalProjection;
import dev.eventsource.internal.EventRegistry;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.ProjectionDescriptor;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One registered projection, whatever its kind: a {@code @Projection} instance with its generated
 * descriptor (decodes only the event types it handles), a plain {@link Projection} or a
 * {@link TransactionalProjection} (both receive every event, decoded with the engine's registry).
 *
 * <p>Thread-safety is the user's projection's: the engine calls one target from one partition
 * worker per partition (several at once when there are several partitions), or from command
 * threads when it is inline.
 *
 * <pre>{@code
 * Target target = Target.annotated(descriptor, summary);
 * if (target.codecFor("OrderCreated") != null) target.handle(envelope, null);
 * }</pre>
 */
public abstract class Target {

    private final String name;
    private final Object instance;

    Target(String name, Object instance) {
        this.name = name;
        this.instance = instance;
    }

    /** The checkpoint key. */
    public final String name() {
        return name;
    }

    /** The user's object. */
    public final Object instance() {
        return instance;
    }

    /** The codec to decode events of this type with, or {@code null}. */
    public abstract EventCodec<?> codecFor(String eventType);

    /**
     * Whether the projection receives every event: then an event type without a codec is a decoding
     * failure; otherwise it is simply not one the projection handles.
     */
    public abstract boolean receivesEveryEvent();

    /**
     * A stored event decoded for this projection through the one decode point ({@link Decoding}), or
     * {@code null} when the projection does not handle its type (and does not receive every event).
     *
     * @throws EventDecodingException naming the event when it does not decode
     */
    public final EventEnvelope<Object> decode(StoredEvent e) {
        EventCodec<?> codec = codecFor(e.eventType());
        if (codec == null && !receivesEveryEvent()) {
            return null;
        }
        return Decoding.envelope(e, Decoding.decode(e, codec));
    }

    /** Handles one event; {@code tx} is the store's transaction for transactional projections, else null. */
    public abstract void handle(EventEnvelope<?> event, Object tx) throws Exception;

    /** Forgets the read model; {@code tx} as for {@link #handle}. */
    public abstract void reset(Object tx) throws Exception;

    /** Whether {@link #reset} can forget the read model (a rebuild needs it). */
    public boolean resettable() {
        return true;
    }

    /** Whether the projection needs a store transaction per batch. */
    public boolean transactional() {
        return false;
    }

    /** A target for a {@code @Projection} instance. */
    public static <P> Target annotated(ProjectionDescriptor<P> descriptor, P instance) {
        return new Annotated<>(descriptor, instance);
    }

    /** A target for a plain {@link Projection}. */
    public static Target plain(Projection projection, Supplier<EventRegistry> registry) {
        return new Plain(projection, registry);
    }

    /** A target for a {@link TransactionalProjection}. */
    public static Target transactional(TransactionalProjection<?> projection, Supplier<EventRegistry> registry) {
        return new Transactional<>(projection, registry);
    }

    private static final class Annotated<P> extends Target {
        private final ProjectionDescriptor<P> descriptor;
        private final P projection;
        private final Map<String, EventCodec<?>> codecs = new HashMap<>();

        Annotated(ProjectionDescriptor<P> descriptor, P projection) {
            super(descriptor.name(), projection);
            this.descriptor = descriptor;
            this.projection = projection;
            for (EventCodec<?> codec : descriptor.eventCodecs()) {
                for (String storedName : EventRegistry.storedNames(codec)) {
                    codecs.put(storedName, codec);
                }
            }
        }

        @Override
        public EventCodec<?> codecFor(String eventType) {
            return codecs.get(eventType);
        }

        @Override
        public boolean receivesEveryEvent() {
            return false;
        }

        @Override
        public void handle(EventEnvelope<?> event, Object tx) {
            descriptor.handle(projection, event);
        }

        @Override
        public boolean resettable() {
            return projection instanceof Resettable;
        }

        @Override
        public void reset(Object tx) {
            ((Resettable) projection).reset();
        }
    }

    /** A projection that receives every event, decoded with the engine's registry of all known types. */
    private abstract static class EveryEvent extends Target {
        private final Supplier<EventRegistry> registry;

        EveryEvent(String name, Object instance, Supplier<EventRegistry> registry) {
            super(name, instance);
            this.registry = registry;
        }

        @Override
        public final EventCodec<?> codecFor(String eventType) {
            return registry.get().codec(eventType);
        }

        @Override
        public final boolean receivesEveryEvent() {
            return true;
        }
    }

    private static final class Plain extends EveryEvent {
        private final Projection projection;

        Plain(Projection projection, Supplier<EventRegistry> registry) {
            super(projection.name(), projection, registry);
            this.projection = projection;
        }

        @Override
        public void handle(EventEnvelope<?> event, Object tx) {
            projection.handle(event);
        }

        @Override
        public void reset(Object tx) {
            projection.reset();
        }
    }

    private static final class Transactional<T> extends EveryEvent {
        private final TransactionalProjection<T> projection;

        Transactional(TransactionalProjection<T> projection, Supplier<EventRegistry> registry) {
            super(projection.name(), projection, registry);
            this.projection = projection;
        }

        @Override
        public void handle(EventEnvelope<?> event, Object tx) throws Exception {
            projection.handle(event, projection.transactionType().cast(tx));
        }

        @Override
        public void reset(Object tx) throws Exception {
            projection.reset(projection.transactionType().cast(tx));
        }

        @Override
        public boolean transactional() {
            return true;
        }
    }
}
