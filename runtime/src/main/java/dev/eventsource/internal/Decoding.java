package dev.eventsource.internal;

import dev.eventsource.EventDecodingException;
import dev.eventsource.EventEnvelope;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.store.StoredEvent;
import java.io.IOException;

/**
 * Turns stored events back into objects and envelopes; failures name stream, version, position and type.
 * This is the one decode point of the runtime: aggregate loads, projections, rebuilds and dead-letter
 * retries all decode here, with the stored payload version, so an old event always goes through its
 * upcaster chain.
 *
 * <pre>{@code
 * Object data = Decoding.decode(stored, codec);   // EventDecodingException on bad payloads
 * EventEnvelope<Object> envelope = Decoding.envelope(stored, data);
 * }</pre>
 */
public final class Decoding {

    private Decoding() {
    }

    /**
     * Decodes a stored event's payload.
     *
     * @param codec the codec for its type; {@code null} means nothing registered knows the type
     * @throws EventDecodingException naming the event when the payload does not decode, or the
     *     store could not read the row ({@link StoredEvent#readProblem()})
     */
    public static Object decode(StoredEvent event, EventCodec<?> codec) {
        if (event.readProblem() != null) {
            throw new EventDecodingException(event.streamType(), event.streamId(), event.version(),
                    event.globalPosition(), event.eventType(), event.readProblem(), null);
        }
        if (codec == null) {
            throw new EventDecodingException(event.streamType(), event.streamId(), event.version(),
                    event.globalPosition(), event.eventType(), "no registered aggregate or projection knows event type '"
                            + event.eventType() + "'; register the aggregate that records it", null);
        }
        try {
            return Json.decode(codec, event.payload(), event.eventVersion());
        } catch (IOException | RuntimeException e) {
            throw new EventDecodingException(event.streamType(), event.streamId(), event.version(),
                    event.globalPosition(), event.eventType(), String.valueOf(e.getMessage()), e);
        }
    }

    /** The envelope of a stored event with its decoded data. */
    public static EventEnvelope<Object> envelope(StoredEvent event, Object data) {
        return new EventEnvelope<>(data, event.eventType(), event.streamType(), event.streamId(), event.version(),
                event.globalPosition(), event.eventId(), event.timestamp(), event.metadata());
    }
}
