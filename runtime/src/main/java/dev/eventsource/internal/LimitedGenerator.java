package dev.eventsource.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import dev.eventsource.Limits;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The generator generated codecs write events through: it refuses, before the value is written,
 * every string, map key, number or nesting level over the engine's {@link Limits}, and every
 * string that is not valid Unicode (an unpaired surrogate), with an {@link IllegalArgumentException}
 * naming the event type, the field path ({@code lines[2].sku}), the size and the limit. What passes
 * here is readable by {@link Json#decode}, whose parser allows at least the largest settable limits.
 *
 * <p>Names written as {@link SerializableString} are the codecs' own property names (constants
 * from the Java source) and are not checked; names written as {@code String} are map keys and are.
 *
 * <pre>{@code
 * LimitedGenerator out = new LimitedGenerator(jacksonGenerator);
 * out.begin(Limits.defaults(), "OrderCreated");
 * codec.write(out, event);            // IllegalArgumentException: OrderCreated.note: a string of ...
 * }</pre>
 *
 * <p>Not thread-safe: one per thread, like the generator it wraps.
 */
final class LimitedGenerator extends JsonGeneratorDelegate {

    /**
     * Numbers of at most this many bits (and a scale of at most 90) have at most 93 chars of text:
     * they need no check against a limit of 100 or more, so common amounts never pay for a toString.
     */
    private static final int SHORT_NUMBER_BITS = 299;

    private Limits limits = Limits.defaults();
    private String typeName = "";
    /** Set when this generator refused a value; the refusal, not the codec, is then the failure. */
    private IllegalArgumentException refusal;

    LimitedGenerator(JsonGenerator delegate) {
        super(delegate, false);
    }

    /** Starts one document of {@code typeName} under {@code limits}. */
    void begin(Limits limits, String typeName) {
        this.limits = limits;
        this.typeName = typeName;
        this.refusal = null;
    }

    /** The refusal of the document being written, or {@code null}. */
    IllegalArgumentException refusal() {
        return refusal;
    }

    // ---- strings ----

    @Override
    public void writeString(String text) throws IOException {
        if (text != null) {
            checkString(text, "a string");
        }
        delegate.writeString(text);
    }

    @Override
    public void writeString(char[] text, int offset, int len) throws IOException {
        checkString(new String(text, offset, len), "a string");
        delegate.writeString(text, offset, len);
    }

    @Override
    public void writeString(SerializableString text) throws IOException {
        checkString(text.getValue(), "a string");
        delegate.writeString(text);
    }

    @Override
    public void writeString(Reader reader, int len) throws IOException {
        throw refuse(path(true) + ": strings from a Reader are not supported by the engine's codecs");
    }

    @Override
    public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
        throw refuse(path(true) + ": raw UTF-8 strings are not supported by the engine's codecs");
    }

    @Override
    public void writeRawUTF8String(byte[] text, int offset, int length) throws IOException {
        throw refuse(path(true) + ": raw UTF-8 strings are not supported by the engine's codecs");
    }

    @Override
    public void writeFieldName(String name) throws IOException {
        checkName(name);
        delegate.writeFieldName(name);
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws IOException {
        long base64 = (len + 2L) / 3 * 4;
        if (base64 > limits.maxStringLength()) {
            throw refuse(String.format("%s: %,d bytes are %,d chars of base64, over the limit of %,d (Limits.maxStringLength)",
                    path(true), len, base64, limits.maxStringLength()));
        }
        delegate.writeBinary(variant, data, offset, len);
    }

    private void checkString(String text, String what) {
        check(text, what, true);
    }

    /** A map key is named at its map, not at the value it introduces. */
    private void checkName(String name) {
        check(name, "a map key", false);
    }

    private void check(String text, String what, boolean beforeValue) {
        if (text.length() > limits.maxStringLength()) {
            throw refuse(String.format("%s: %s of %,d chars is over the limit of %,d (Limits.maxStringLength)",
                    path(beforeValue), what, text.length(), limits.maxStringLength()));
        }
        int bad = Text.invalidAt(text, true);
        if (bad >= 0) {
            throw refuse(path(beforeValue) + ": " + what + " that is not valid Unicode: " + Text.problemAt(text, bad) + " of "
                    + Text.abbreviate(text));
        }
    }

    // ---- numbers ----

    @Override
    public void writeNumber(BigDecimal value) throws IOException {
        if (value != null && (value.unscaledValue().bitLength() > SHORT_NUMBER_BITS || Math.abs((long) value.scale()) > 90
                || limits.maxNumberLength() < 100)) {
            checkNumber(value.toString());
        }
        delegate.writeNumber(value);
    }

    @Override
    public void writeNumber(BigInteger value) throws IOException {
        if (value != null && (value.bitLength() > SHORT_NUMBER_BITS || limits.maxNumberLength() < 100)) {
            checkNumber(value.toString());
        }
        delegate.writeNumber(value);
    }

    @Override
    public void writeNumber(String encoded) throws IOException {
        if (encoded != null) {
            checkNumber(encoded);
        }
        delegate.writeNumber(encoded);
    }

    @Override
    public void writeNumber(char[] encoded, int offset, int len) throws IOException {
        checkNumber(new String(encoded, offset, len));
        delegate.writeNumber(encoded, offset, len);
    }

    /** {@code text} is what Jackson writes (it writes {@code BigDecimal.toString()}): an upper bound of what its reader counts. */
    private void checkNumber(String text) {
        if (text.length() > limits.maxNumberLength()) {
            throw refuse(String.format("%s: a number of %,d chars is over the limit of %,d (Limits.maxNumberLength): %s",
                    path(true), text.length(), limits.maxNumberLength(), Text.abbreviate(text)));
        }
    }

    // ---- nesting ----

    @Override
    public void writeStartObject() throws IOException {
        checkDepth();
        delegate.writeStartObject();
    }

    @Override
    public void writeStartObject(Object forValue) throws IOException {
        checkDepth();
        delegate.writeStartObject(forValue);
    }

    @Override
    public void writeStartObject(Object forValue, int size) throws IOException {
        checkDepth();
        delegate.writeStartObject(forValue, size);
    }

    @Override
    public void writeStartArray() throws IOException {
        checkDepth();
        delegate.writeStartArray();
    }

    @Override
    @SuppressWarnings("deprecation")                   // still part of JsonGenerator: a codec could call it
    public void writeStartArray(int size) throws IOException {
        checkDepth();
        delegate.writeStartArray(size);
    }

    @Override
    public void writeStartArray(Object forValue) throws IOException {
        checkDepth();
        delegate.writeStartArray(forValue);
    }

    @Override
    public void writeStartArray(Object forValue, int size) throws IOException {
        checkDepth();
        delegate.writeStartArray(forValue, size);
    }

    private void checkDepth() {
        // The root context is depth 0; the object or array about to start is one deeper.
        int depth = delegate.getOutputContext().getNestingDepth() + 1;
        if (depth > limits.maxNestingDepth()) {
            throw refuse(String.format("%s: nesting depth %,d is over the limit of %,d (Limits.maxNestingDepth)", path(true),
                    depth, limits.maxNestingDepth()));
        }
    }

    // ---- messages ----

    private IllegalArgumentException refuse(String message) {
        refusal = new IllegalArgumentException(message);
        return refusal;
    }

    /**
     * Where the generator is, as {@code Type.field[index].field}; {@code beforeValue}: the value about
     * to be written (an array's next element), else the container itself (for a map key).
     */
    private String path(boolean beforeValue) {
        StringBuilder path = new StringBuilder();
        boolean innermost = true;
        for (JsonStreamContext c = delegate.getOutputContext(); c != null && !c.inRoot(); c = c.getParent()) {
            String step;
            if (c.inArray()) {
                // getEntryCount(): elements written so far, so the index of the next one (or, for an
                // outer array, one past the element being written).
                step = "[" + (c.getEntryCount() - (innermost && beforeValue ? 0 : 1)) + "]";
            } else if (innermost && !beforeValue) {
                step = "";
            } else {
                step = c.getCurrentName() == null ? "" : "." + c.getCurrentName();
            }
            path.insert(0, step);
            innermost = false;
        }
        return typeName + path;
    }
}
