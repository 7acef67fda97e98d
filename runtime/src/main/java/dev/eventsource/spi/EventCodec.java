package dev.eventsource.spi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;

/**
 * Reads and writes one event type as JSON with Jackson's streaming API, field by field. The
 * annotation processor generates one per event type; the runtime owns the {@code JsonFactory},
 * buffers and bytes.
 *
 * <pre>{@code
 * EventCodec<OrderCreated> codec = OrderCreated_Codec.INSTANCE;   // generated for OrderCreated
 * codec.write(generator, new OrderCreated("o1", "c1", 9.5));
 * OrderCreated back = codec.read(parser);                          // parser positioned on START_OBJECT
 * }</pre>
 *
 * <p>Implementations are stateless and thread-safe.
 *
 * @param <E> the event type
 */
public interface EventCodec<E> {

    /** The event class this codec reads and writes. */
    Class<E> type();

    /** Stable event type name stored with each event ({@code @EventType(name)}, else the simple class name). */
    String name();

    /** Payload schema version ({@code @EventType(version)}, else 1). */
    int version();

    /**
     * Former stored names ({@code @EventType(aliases)}) that decode as this type too; events are always
     * written under {@link #name()}. Empty by default, so codecs generated before aliases existed still
     * compile.
     */
    default List<String> aliases() {
        return List.of();
    }

    /**
     * The oldest stored payload version this codec reads: {@link #version()} unless older versions of
     * the event have legacy classes and {@code @Upcast} methods, whose chain {@link #read(JsonParser, int)}
     * runs. Every version from this one to {@link #version()} is readable.
     */
    default int oldestVersion() {
        return version();
    }

    /**
     * The codecs of this event's legacy classes, one per version from {@link #oldestVersion()} up to
     * (not including) {@link #version()}, oldest first; empty when only the current version exists.
     * Writing a legacy class with its codec stores an event as an older release did, which is how
     * tests give an aggregate or projection events at a legacy version.
     */
    default List<EventCodec<?>> legacyCodecs() {
        return List.of();
    }

    /**
     * Writes {@code event} as one complete JSON object, from {@code START_OBJECT} to its
     * {@code END_OBJECT}.
     */
    void write(JsonGenerator out, E event) throws IOException;

    /**
     * Reads one event. The parser's current token is the event's {@code START_OBJECT} (or the
     * parser is right before it); on return the current token is the matching {@code END_OBJECT}.
     * Unknown properties are skipped; missing properties take Java defaults, except primitives
     * that must be present.
     *
     * @throws CodecException naming this event type (and the field, when one is at fault) when the
     *     JSON does not describe an event of this type
     */
    E read(JsonParser in) throws IOException;

    /**
     * Reads one event stored at payload version {@code storedVersion}: {@link #read(JsonParser)} for
     * the current version, the legacy class's codec followed by the upcaster chain for an older one.
     * This is the one decode point of the runtime: aggregate loads, projections, rebuilds and
     * dead-letter retries all call it.
     *
     * @throws CodecException naming this event type when no class reads {@code storedVersion}: it is
     *     older than {@link #oldestVersion()} (add a legacy class and an {@code @Upcast}) or newer than
     *     {@link #version()} (written by a newer build of the application)
     */
    default E read(JsonParser in, int storedVersion) throws IOException {
        if (storedVersion != version()) {
            throw CodecSupport.unreadableVersion(name(), storedVersion, oldestVersion(), version());
        }
        return read(in);
    }
}
