package dev.eventsource.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.eventsource.AggregateRoot;
import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.ProjectionDescriptor;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.NewEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;

/**
 * What the fixtures take from the generated code: the descriptors (found as the engine finds them,
 * with {@link ServiceLoader}), and events written and read by their codecs, current or legacy.
 */
final class GeneratedCode {

    private static final JsonFactory JSON = new JsonFactory();

    private GeneratedCode() {
    }

    /** The generated descriptor of the {@code @Aggregate} class {@code type}. */
    @SuppressWarnings("unchecked")
    static <A extends AggregateRoot> AggregateDescriptor<A> aggregate(Class<A> type) {
        for (AggregateDescriptor<?> d : ServiceLoader.load(AggregateDescriptor.class, type.getClassLoader())) {
            if (d.type() == type) {
                return (AggregateDescriptor<A>) d;
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no generated aggregate descriptor: is it annotated"
                + " @Aggregate and compiled with eventsource-processor?");
    }

    /** The generated descriptor of {@code projection}'s {@code @Projection} class (or a superclass), or {@code null}. */
    @SuppressWarnings("unchecked")
    static <P> ProjectionDescriptor<P> projection(P projection) {
        for (Class<?> c = projection.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (ProjectionDescriptor<?> d : ServiceLoader.load(ProjectionDescriptor.class, c.getClassLoader())) {
                if (d.type() == c) {
                    return (ProjectionDescriptor<P>) d;
                }
            }
        }
        return null;
    }

    /**
     * The codec among {@code codecs} (or their legacy versions' codecs) whose class is
     * {@code event}'s, or {@code null}: a legacy class's codec writes the event as the release that
     * had it stored it.
     */
    static EventCodec<?> codecOf(List<EventCodec<?>> codecs, Object event) {
        for (EventCodec<?> codec : codecs) {
            if (codec.type() == event.getClass()) {
                return codec;
            }
            for (EventCodec<?> legacy : codec.legacyCodecs()) {
                if (legacy.type() == event.getClass()) {
                    return legacy;
                }
            }
        }
        return null;
    }

    /** The current codec reading the events {@code written} writes: itself, or the current version of its name. */
    static EventCodec<?> reader(List<EventCodec<?>> codecs, EventCodec<?> written) {
        for (EventCodec<?> codec : codecs) {
            if (codec == written || codec.legacyCodecs().contains(written)) {
                return codec;
            }
        }
        throw new IllegalStateException("no current codec reads " + written.name() + " version " + written.version());
    }

    /** {@code event} as JSON, written by {@code codec}. */
    @SuppressWarnings("unchecked")
    static <E> byte[] write(EventCodec<E> codec, Object event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            codec.write(out, (E) event);
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("event " + event + " cannot be written by its codec (" + codec.name() + " version "
                    + codec.version() + "): " + e, e);
        }
        return bytes.toByteArray();
    }

    /** The event {@code json}, stored at {@code version}, as {@code codec} reads it (through the upcasters). */
    static Object read(EventCodec<?> codec, byte[] json, int version) {
        try (JsonParser in = JSON.createParser(json)) {
            in.nextToken();
            return codec.read(in, version);
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("event " + codec.name() + " version " + version + " cannot be read by its codec: " + e
                    + "\n  json: " + new String(json, StandardCharsets.UTF_8), e);
        }
    }

    /** The last {@code n} events of the stream {@code type/id}, decoded by {@code engine} (read back through the codecs). */
    static <A extends AggregateRoot> List<Object> lastEvents(Engine engine, Class<A> type, String id, int n) {
        List<EventEnvelope<?>> stream = engine.readStream(type, id);
        List<Object> events = new ArrayList<>(n);
        for (EventEnvelope<?> e : stream.subList(stream.size() - n, stream.size())) {
            events.add(e.data());
        }
        return events;
    }

    /**
     * Appends {@code events} to the stream {@code type/id} as stored events: each written by its
     * codec (a legacy class's at its version), so loading them runs the upcasters.
     *
     * @throws AssertionError naming the event when the aggregate does not apply it
     */
    static void append(EventStore store, AggregateDescriptor<?> type, String id, Instant time, List<Object> events) {
        long version = store.readStream(type.streamType(), id, 0, e -> { });
        List<NewEvent> stored = new ArrayList<>(events.size());
        for (Object event : events) {
            EventCodec<?> codec = codecOf(type.eventCodecs(), event);
            if (codec == null) {
                throw new AssertionError(type.type().getSimpleName() + " has no @Apply method for "
                        + event.getClass().getName() + " (nor for a newer version of it), so " + event
                        + " cannot be in its stream " + type.streamType() + "/" + id);
            }
            // Unique per stream and version, and the same in every run.
            UUID eventId = UUID.nameUUIDFromBytes((type.streamType() + '/' + id + '/' + (version + stored.size() + 1))
                    .getBytes(StandardCharsets.UTF_8));
            stored.add(new NewEvent(eventId, codec.name(), codec.version(), time, write(codec, event), Map.of()));
        }
        if (!stored.isEmpty()) {
            store.append(type.streamType(), id, version, stored);
        }
    }
}
