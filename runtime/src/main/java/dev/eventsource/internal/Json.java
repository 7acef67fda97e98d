package dev.eventsource.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 * <p>Threading: {@link #encode} and {@link #encodeSnapshot} use the calling thread's encoder; they
 * are not reentrant (a codec never calls back into the runtime). A generator left in an unknown
 * state by a failing codec is discarded.
 *
 * <pre>{@code
 * byte[] payload = Json.encode(codec, new OrderCreated("o1", "c1", 9.5));
 * Object back = Json.decode(codec, payload);
 * }</pre>
 */
public final class Json {

    /** The runtime's factory: UTF-8, no separator between root values so one generator can write many. */
    public static final JsonFactory FACTORY = new JsonFactoryBuilder().rootValueSeparator((String) null).build();

    private static final ThreadLocal<Encoder> ENCODERS = ThreadLocal.withInitial(Encoder::new);

    private Json() {
    }

    /** Serializes an event with its codec. */
    @SuppressWarnings("unchecked")
    public static byte[] encode(EventCodec<?> codec, Object event) {
        Encoder encoder = ENCODERS.get();
        JsonGenerator out = encoder.begin();
        try {
            ((EventCodec<Object>) codec).write(out, event);
            return encoder.finish();
        } catch (IOException | RuntimeException e) {
            encoder.discard();
            throw e instanceof CodecException c ? c : new CodecException(codec.name(), null, "cannot serialize: " + e, e);
        }
    }

    /** Serializes an aggregate's state with its snapshot codec. */
    @SuppressWarnings("unchecked")
    public static byte[] encodeSnapshot(SnapshotCodec<?> codec, Object aggregate, String streamType) {
        Encoder encoder = ENCODERS.get();
        JsonGenerator out = encoder.begin();
        try {
            ((SnapshotCodec<Object>) codec).write(out, aggregate);
            return encoder.finish();
        } catch (IOException | RuntimeException e) {
            encoder.discard();
            throw e instanceof CodecException c ? c : new CodecException(streamType, null, "cannot write snapshot: " + e, e);
        }
    }

    /**
     * Reads one event from its bytes.
     *
     * @throws IOException or {@link CodecException} when the bytes are not a valid event of the codec's type
     */
    public static Object decode(EventCodec<?> codec, byte[] payload) throws IOException {
        try (JsonParser in = FACTORY.createParser(payload)) {
            expectObject(in);
            return codec.read(in);
        }
    }

    /** Reads a snapshot's state into a fresh aggregate instance. */
    @SuppressWarnings("unchecked")
    public static void decodeSnapshot(SnapshotCodec<?> codec, byte[] state, Object into) throws IOException {
        try (JsonParser in = FACTORY.createParser(state)) {
            expectObject(in);
            ((SnapshotCodec<Object>) codec).read(in, into);
        }
    }

    private static void expectObject(JsonParser in) throws IOException {
        JsonToken first = in.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new IOException("expected a JSON object but found " + first);
        }
    }

    /** A growable byte buffer with the generator that writes into it; one per thread. */
    private static final class Encoder extends OutputStream {

        private static final int INITIAL = 256;
        private static final int KEEP_AT_MOST = 64 * 1024;

        private byte[] buffer = new byte[INITIAL];
        private int count;
        private JsonGenerator generator;

        JsonGenerator begin() {
            count = 0;
            JsonGenerator g = generator;
            if (g == null) {
                try {
                    g = FACTORY.createGenerator(this, JsonEncoding.UTF8);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot create a JSON generator", e);
                }
                generator = g;
            }
            return g;
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

        void discard() {
            generator = null;
            count = 0;
        }

        @Override
        public void write(int b) {
            if (count == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length << 1);
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length << 1, count + len));
            }
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }
    }
}
