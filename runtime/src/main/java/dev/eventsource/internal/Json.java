package dev.eventsource.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import dev.eventsource.Limits;
import dev.eventsource.spi.CodecException;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.SnapshotCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The runtime's JSON plumbing around the generated codecs: one {@link JsonFactory}, and per thread
 * one reusable generator writing into one reusable buffer, so serializing an event allocates only
 * the resulting byte array.
 *
 * <p>Writing enforces the engine's {@link Limits} (through {@link LimitedGenerator} and a cap on the
 * buffer), so a value too large to store is refused before anything is stored. Reading allows the
 * largest value each limit can be set to ({@code Limits.MAX_*}), so whatever any engine wrote reads
 * back; it refuses a document with content after its object, and never reads more than that.
 *
 * <p>Threading: {@link #encode} and {@link #encodeSnapshot} use the calling thread's encoder; they
 * are not reentrant (a codec never calls back into the runtime). A generator left in an unknown
 * state by a failing codec is discarded.
 *
 * <pre>{@code
 * byte[] payload = Json.encode(codec, new OrderCreated("o1", "c1", 9.5));
 * Object back = Json.decode(codec, payload, codec.version());
 * }</pre>
 */
public final class Json {

    /**
     * The runtime's factory: UTF-8, no separator between root values so one generator can write
     * many, and read constraints at the largest settable {@link Limits} (Jackson's defaults are
     * smaller: 20,000,000-char strings, 50,000-char names, 1,000-char numbers).
     */
    public static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .rootValueSeparator((String) null)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(Limits.MAX_EVENT_BYTES)
                    .maxStringLength(Limits.MAX_STRING_LENGTH)
                    .maxNameLength(Limits.MAX_STRING_LENGTH)
                    .maxNumberLength(Limits.MAX_NUMBER_LENGTH)
                    .maxNestingDepth(Limits.MAX_NESTING_DEPTH)
                    .build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(Limits.MAX_NESTING_DEPTH).build())
            .build();

    private static final ThreadLocal<Encoder> ENCODERS = ThreadLocal.withInitial(Encoder::new);

    private Json() {
    }

    /** Serializes an event with its codec under the default {@link Limits}. */
    public static byte[] encode(EventCodec<?> codec, Object event) {
        return encode(codec, event, Limits.defaults());
    }

    /**
     * Serializes an event with its codec.
     *
     * @throws IllegalArgumentException naming the event type, field, size and limit when a value is
     *     over {@code limits} or not valid Unicode
     * @throws CodecException when the codec fails
     */
    @SuppressWarnings("unchecked")
    public static byte[] encode(EventCodec<?> codec, Object event, Limits limits) {
        Encoder encoder = ENCODERS.get();
        LimitedGenerator out = encoder.begin(limits, codec.name());
        try {
            ((EventCodec<Object>) codec).write(out, event);
            return encoder.finish();
        } catch (IOException | RuntimeException e) {
            throw encoder.failure(e, "cannot serialize: ");
        }
    }

    /**
     * Serializes an aggregate's state with its snapshot codec, under the same limits as events.
     *
     * @throws IllegalArgumentException when a value is over {@code limits}
     * @throws CodecException when the codec fails
     */
    @SuppressWarnings("unchecked")
    public static byte[] encodeSnapshot(SnapshotCodec<?> codec, Object aggregate, String streamType, Limits limits) {
        Encoder encoder = ENCODERS.get();
        LimitedGenerator out = encoder.begin(limits, "snapshot of " + streamType);
        try {
            ((SnapshotCodec<Object>) codec).write(out, aggregate);
            return encoder.finish();
        } catch (IOException | RuntimeException e) {
            throw encoder.failure(e, "cannot write snapshot: ");
        }
    }

    /**
     * Reads one event from its bytes: exactly one JSON object, nothing after it.
     *
     * @param storedVersion the payload version stored with the event; older versions go through the
     *     codec's upcaster chain ({@link EventCodec#read(JsonParser, int)})
     * @throws IOException or {@link CodecException} when the bytes are not a valid event of the codec's
     *     type, or no class reads {@code storedVersion}
     */
    public static Object decode(EventCodec<?> codec, byte[] payload, int storedVersion) throws IOException {
        try (JsonParser in = FACTORY.createParser(payload)) {
            expectObject(in);
            Object event = codec.read(in, storedVersion);
            expectEnd(in);
            return event;
        }
    }

    /** Reads a snapshot's state (one JSON object, nothing after it) into a fresh aggregate instance. */
    @SuppressWarnings("unchecked")
    public static void decodeSnapshot(SnapshotCodec<?> codec, byte[] state, Object into) throws IOException {
        try (JsonParser in = FACTORY.createParser(state)) {
            expectObject(in);
            ((SnapshotCodec<Object>) codec).read(in, into);
            expectEnd(in);
        }
    }

    private static void expectObject(JsonParser in) throws IOException {
        JsonToken first = in.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new IOException("expected a JSON object but found " + first);
        }
    }

    /** The token after a document's object must be the end of the input: trailing content is refused, not ignored. */
    private static void expectEnd(JsonParser in) throws IOException {
        JsonToken after = in.nextToken();
        if (after != null) {
            throw new IOException("unexpected content after the JSON object: " + after + " at byte "
                    + in.currentTokenLocation().getByteOffset());
        }
    }

    /**
     * A growable byte buffer with the generator that writes into it; one per thread. The buffer
     * refuses to grow past the document's {@link Limits#maxEventBytes()}, so an event too large to
     * store fails as soon as that is known, without buffering all of it.
     */
    private static final class Encoder extends OutputStream {

        private static final int INITIAL = 256;
        private static final int KEEP_AT_MOST = 64 * 1024;

        private byte[] buffer = new byte[INITIAL];
        private int count;
        private int maxBytes;
        private String typeName;
        private LimitedGenerator generator;

        LimitedGenerator begin(Limits limits, String typeName) {
            count = 0;
            maxBytes = limits.maxEventBytes();
            this.typeName = typeName;
            LimitedGenerator g = generator;
            if (g == null) {
                try {
                    g = new LimitedGenerator(FACTORY.createGenerator(this, JsonEncoding.UTF8));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot create a JSON generator", e);
                }
                generator = g;
            }
            g.begin(limits, typeName);
            return g;
        }

        /**
         * What a failed write throws: the generator's refusal or the size limit as they are
         * (whatever Jackson wrapped them in), else a {@link CodecException}. The generator is
         * discarded: it may be half-way through a document.
         */
        RuntimeException failure(Exception e, String doing) {
            IllegalArgumentException refused = generator.refusal();
            generator = null;
            count = 0;
            if (buffer.length > KEEP_AT_MOST) {
                buffer = new byte[INITIAL];
            }
            if (refused != null) {
                return refused;
            }
            if (e instanceof TooLarge tooLarge) {
                return tooLarge.refusal;
            }
            if (e.getCause() instanceof TooLarge tooLarge) {
                return tooLarge.refusal;
            }
            return e instanceof CodecException c ? c : new CodecException(typeName, null, doing + e, e);
        }

        byte[] finish() throws IOException {
            generator.flush();
            byte[] result = Arrays.copyOf(buffer, count);
            if (buffer.length > KEEP_AT_MOST) {
                buffer = new byte[INITIAL];
            }
            count = 0;
            return result;
        }

        private void reserve(int more) {
            if (count + (long) more > maxBytes) {
                throw new TooLarge(String.format("%s: the event's JSON is over the limit of %,d bytes (Limits.maxEventBytes)",
                        typeName, maxBytes));
            }
        }

        @Override
        public void write(int b) {
            reserve(1);
            if (count == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length << 1);
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            reserve(len);
            if (count + len > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length << 1, count + len));
            }
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }
    }

    /** Thrown from inside Jackson's flush when the buffer would pass the size limit; carries the user-facing refusal. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final IllegalArgumentException refusal;

        TooLarge(String message) {
            super(message, null, false, false);
            this.refusal = new IllegalArgumentException(message);
        }
    }
}
