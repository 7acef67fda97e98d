package dev.eventsource.spi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The scalar reads and null-safe writes that generated codecs share, so that each generated codec
 * contains only its own structure (field names, loops, constructor call) and not a copy of the same
 * token checks. Not meant to be called by hand.
 *
 * <p>Every {@code read*} method expects the parser's current token to be the value (the generated
 * code has already called {@code nextToken()}) and leaves it there. Readers of reference types
 * return {@code null} for a JSON {@code null}; readers of primitives reject it. A token of the wrong
 * kind raises a {@link JsonParseException} (with the parser's location), which the generated codec
 * turns into a {@link CodecException} naming the event type and field.
 *
 * <pre>{@code
 * // generated: case "amount": amount$ = CodecSupport.readBigDecimal(in); break;
 * BigDecimal amount = CodecSupport.readBigDecimal(parser);
 * }</pre>
 *
 * <p>Formats match a plain Jackson {@code ObjectMapper} with {@code JavaTimeModule} and
 * {@code Jdk8Module}: {@code java.time} values as ISO-8601 strings (the numeric and array forms
 * {@code JavaTimeModule} writes by default are accepted on read), {@code byte[]} as base64,
 * {@code BigDecimal}/{@code BigInteger} as exact JSON numbers, {@code NaN}/{@code Infinity} as the
 * strings Jackson writes for them. Beyond Jackson's defaults: a {@code ZonedDateTime} keeps its zone
 * id ({@code 2026-01-01T10:00:00+01:00[Europe/Paris]}), and a sealed interface is written as
 * {@code {"<discriminator>": {...}}}, read back only as one of its permitted subtypes.
 */
public final class CodecSupport {

    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final DateTimeFormatter ISO_YEAR_MONTH = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.YEAR, 4, 10, SignStyle.EXCEEDS_PAD).appendLiteral('-')
            .appendValue(ChronoField.MONTH_OF_YEAR, 2).toFormatter(Locale.ROOT);

    private CodecSupport() {
    }

    /**
     * Moves the parser onto the {@code START_OBJECT} of a document (when it is right before it) and
     * checks that it is one.
     */
    public static void beginObject(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t != JsonToken.START_OBJECT) {
            t = in.nextToken();
        }
        if (t != JsonToken.START_OBJECT) {
            throw new JsonParseException(in, "expected a JSON object, found " + describe(t));
        }
    }

    /**
     * Marks a known property as read: returns {@code seen} with {@code bit} set, or throws when the
     * bit was set already. A property that occurs twice in one object is ambiguous (JSON readers
     * differ on whether the first or the last one counts), so it is rejected rather than guessed.
     * The generated read loop keeps one bit per known property in a {@code long} local, so the check
     * allocates nothing.
     *
     * <pre>{@code
     * // generated: case "amount": $seen0 = CodecSupport.markSeen(in, $seen0, 1L << 2); ...
     * }</pre>
     *
     * @throws JsonParseException {@code duplicate property 'amount'}, when {@code seen} has {@code bit}
     */
    public static long markSeen(JsonParser in, long seen, long bit) throws IOException {
        if ((seen & bit) != 0L) {
            throw duplicateProperty(in);
        }
        return seen | bit;
    }

    // Out of line so that markSeen stays small enough for the JIT to inline it into every case.
    private static JsonParseException duplicateProperty(JsonParser in) throws IOException {
        // The parser is on the value; currentName() is the property's name also for an object or array.
        return new JsonParseException(in, "duplicate property '" + in.currentName() + "'");
    }

    /**
     * Puts one entry of a JSON object read as a {@code Map}, rejecting a key the object had already
     * (ambiguous, as a repeated property is). Compares sizes, so it costs no second lookup.
     *
     * @throws JsonParseException {@code duplicate key 'k'}, when {@code map} holds {@code key} already
     *     (the new value has replaced the old one then; the caller abandons the map)
     */
    public static <V> void putNewKey(JsonParser in, Map<String, V> map, String key, V value) throws IOException {
        int size = map.size();
        map.put(key, value);
        if (map.size() == size) {
            throw new JsonParseException(in, "duplicate key '" + key + "'");
        }
    }

    /** Checks that the current token is {@code expected} ({@code START_ARRAY} for a list, say). */
    public static void expect(JsonParser in, JsonToken expected) throws IOException {
        if (!in.hasToken(expected)) {
            throw wrongToken(in, describe(expected));
        }
    }

    /**
     * Reads a nested object with its codec: {@code null} for a JSON {@code null}, otherwise the
     * codec's {@link EventCodec#read} from the current {@code START_OBJECT}.
     */
    public static <T> T readObject(JsonParser in, EventCodec<T> codec) throws IOException {
        if (in.hasToken(JsonToken.VALUE_NULL)) {
            return null;
        }
        expect(in, JsonToken.START_OBJECT);
        return codec.read(in);
    }

    /**
     * The error for a stored payload version no class reads, from {@link EventCodec#read(JsonParser, int)}.
     *
     * @param oldest the oldest version the codec reads
     * @param current the version it writes
     */
    public static CodecException unreadableVersion(String name, int storedVersion, int oldest, int current) {
        String readable = oldest == current ? "only version " + current : "versions " + oldest + " to " + current;
        String fix = storedVersion > current
                ? "it was written by a newer build of the application, which knows version " + storedVersion
                        + "; run that build, or roll the writer back"
                : "add a legacy class @EventType(name = \"" + name + "\", version = " + storedVersion
                        + ") with an @Upcast method to version " + (storedVersion + 1);
        return new CodecException(name, null, "stored payload version " + storedVersion + " is not readable: this build"
                + " reads " + readable + "; " + fix);
    }

    /**
     * The result of an upcaster chain, checked: generated codecs call it on what the last upcaster
     * returned.
     *
     * @param chain the upcasters that ran, for the message ("OrderPlacedV1.toV2, OrderPlacedV2.toV3")
     * @throws CodecException when the chain returned {@code null}
     */
    public static <T> T upcastResult(String name, int storedVersion, String chain, T result) {
        if (result == null) {
            throw new CodecException(name, null, "upcasting stored version " + storedVersion + " with " + chain
                    + " returned null");
        }
        return result;
    }

    /** The error for an upcaster that threw while reading an event stored at {@code storedVersion}. */
    public static CodecException upcastFailed(String name, int storedVersion, String chain, RuntimeException cause) {
        return new CodecException(name, null, "upcasting stored version " + storedVersion + " with " + chain
                + " failed: " + cause, cause);
    }

    /** Writes a nested object with its codec, or {@code null}. */
    public static <T> void writeObject(JsonGenerator out, EventCodec<T> codec, T value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            codec.write(out, value);
        }
    }

    /** Writes a boxed boolean, or {@code null}. */
    public static void writeNullable(JsonGenerator out, Boolean value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeBoolean(value);
        }
    }

    /** Writes a boxed number, or {@code null}. */
    public static void writeNullable(JsonGenerator out, Byte value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeNumber(value.shortValue());
        }
    }

    /** Writes a boxed number, or {@code null}. */
    public static void writeNullable(JsonGenerator out, Short value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeNumber(value.shortValue());
        }
    }

    /** Writes a boxed number, or {@code null}. */
    public static void writeNullable(JsonGenerator out, Integer value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeNumber(value.intValue());
        }
    }

    /** Writes a boxed number, or {@code null}. */
    public static void writeNullable(JsonGenerator out, Long value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeNumber(value.longValue());
        }
    }

    /** Writes a boxed number, or {@code null}. */
    public static void writeNullable(JsonGenerator out, Float value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeNumber(value.floatValue());
        }
    }

    /** Writes a boxed number, or {@code null}. */
    public static void writeNullable(JsonGenerator out, Double value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeNumber(value.doubleValue());
        }
    }

    /** Writes a boxed character as a one-character string, or {@code null}. */
    public static void writeNullable(JsonGenerator out, Character value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeString(value.toString());
        }
    }

    /** Writes an enum constant's {@code name()}, or {@code null}. */
    public static void writeNullable(JsonGenerator out, Enum<?> value) throws IOException {
        out.writeString(value == null ? null : value.name());
    }

    // ---- primitives (a JSON null is an error: the Java field cannot hold it) ----

    /** Reads {@code true}/{@code false}. */
    public static boolean readBoolean(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return false;
        }
        throw wrongToken(in, "a boolean");
    }

    /** Reads an integral number in the range of {@code byte}. */
    public static byte readByte(JsonParser in) throws IOException {
        requireNumber(in, "a byte");
        return in.getByteValue();
    }

    /** Reads an integral number in the range of {@code short}. */
    public static short readShort(JsonParser in) throws IOException {
        requireNumber(in, "a short");
        return in.getShortValue();
    }

    /** Reads an integral number in the range of {@code int}. */
    public static int readInt(JsonParser in) throws IOException {
        requireNumber(in, "an int");
        return in.getIntValue();
    }

    /** Reads an integral number in the range of {@code long}. */
    public static long readLong(JsonParser in) throws IOException {
        requireNumber(in, "a long");
        return in.getLongValue();
    }

    /** Reads a number, or the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. */
    public static float readFloat(JsonParser in) throws IOException {
        if (in.hasToken(JsonToken.VALUE_STRING)) {
            return Float.parseFloat(in.getText());
        }
        requireNumber(in, "a float");
        return in.getFloatValue();
    }

    /** Reads a number, or the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. */
    public static double readDouble(JsonParser in) throws IOException {
        if (in.hasToken(JsonToken.VALUE_STRING)) {
            return Double.parseDouble(in.getText());
        }
        requireNumber(in, "a double");
        return in.getDoubleValue();
    }

    /** Reads a one-character string. */
    public static char readChar(JsonParser in) throws IOException {
        if (in.hasToken(JsonToken.VALUE_STRING)) {
            String s = in.getText();
            if (s.length() == 1) {
                return s.charAt(0);
            }
            throw new JsonParseException(in, "expected a single character, found a string of length " + s.length());
        }
        throw wrongToken(in, "a single-character string");
    }

    /** Writes a {@code char} as a one-character string (as Jackson does). */
    public static void writeChar(JsonGenerator out, char value) throws IOException {
        out.writeString(String.valueOf(value));
    }

    // ---- reference scalars (a JSON null reads as null) ----

    /** Reads a string. */
    public static String readString(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return in.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongToken(in, "a string");
    }

    /** Reads a number exactly (never through {@code double}); a numeric string is accepted too. */
    public static BigDecimal readBigDecimal(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return in.getDecimalValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            return new BigDecimal(in.getText().trim());
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongToken(in, "a number");
    }

    /** Reads an integral number of any size; a numeric string is accepted too. */
    public static BigInteger readBigInteger(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return in.getBigIntegerValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            return new BigInteger(in.getText().trim());
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongToken(in, "an integral number");
    }

    /** Reads a UUID from its canonical string form. */
    public static UUID readUuid(JsonParser in) throws IOException {
        String s = readString(in);
        return s == null ? null : UUID.fromString(s);
    }

    /** Writes a UUID as its canonical string, or {@code null}. */
    public static void writeUuid(JsonGenerator out, UUID value) throws IOException {
        out.writeString(value == null ? null : value.toString());
    }

    /** Reads base64 (Jackson's default variant), as Jackson writes {@code byte[]}. */
    public static byte[] readBytes(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_EMBEDDED_OBJECT) {
            return in.getBinaryValue();
        }
        throw wrongToken(in, "a base64 string");
    }

    /** Writes base64, or {@code null}. */
    public static void writeBytes(JsonGenerator out, byte[] value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeBinary(value);
        }
    }

    /**
     * Writes an {@code Instant}, {@code LocalDate} or {@code Duration} as its ISO-8601
     * {@code toString()}, or {@code null}: the text {@code JavaTimeModule} writes with
     * {@code WRITE_DATES_AS_TIMESTAMPS}/{@code WRITE_DURATIONS_AS_TIMESTAMPS} disabled.
     */
    public static void writeTemporal(JsonGenerator out, Object value) throws IOException {
        out.writeString(value == null ? null : value.toString());
    }

    /** Writes ISO-8601 with seconds always present ({@code 2024-01-01T10:00:00}), as Jackson does. */
    public static void writeLocalDateTime(JsonGenerator out, LocalDateTime value) throws IOException {
        out.writeString(value == null ? null : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(value));
    }

    /** Writes ISO-8601 with seconds always present ({@code 2024-01-01T10:00:00+02:00}), as Jackson does. */
    public static void writeOffsetDateTime(JsonGenerator out, OffsetDateTime value) throws IOException {
        out.writeString(value == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
    }

    /** Reads an ISO-8601 instant, or a number of epoch seconds (with a fraction for nanoseconds). */
    public static Instant readInstant(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return Instant.parse(in.getText().trim());
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            BigDecimal seconds = in.getDecimalValue();
            return Instant.ofEpochSecond(seconds.longValue(), nanosOf(seconds));
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongToken(in, "an ISO-8601 instant");
    }

    /** Reads an ISO-8601 offset date-time, or a number of epoch seconds (read as UTC). */
    public static OffsetDateTime readOffsetDateTime(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return OffsetDateTime.parse(in.getText().trim());
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return readInstant(in).atOffset(ZoneOffset.UTC);
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongToken(in, "an ISO-8601 offset date-time");
    }

    /** Reads an ISO-8601 duration ({@code PT1.5S}), or a number of seconds (with a fraction). */
    public static Duration readDuration(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return Duration.parse(in.getText().trim());
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            BigDecimal seconds = in.getDecimalValue();
            return Duration.ofSeconds(seconds.longValue(), nanosOf(seconds));
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongToken(in, "an ISO-8601 duration");
    }

    /** Reads an ISO-8601 local date, or the {@code [year, month, day]} array Jackson writes by default. */
    public static LocalDate readLocalDate(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return LocalDate.parse(in.getText().trim());
        }
        if (t == JsonToken.START_ARRAY) {
            int[] p = readDateParts(in, 3, 3);
            return LocalDate.of(p[0], p[1], p[2]);
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongToken(in, "an ISO-8601 local date");
    }

    /**
     * Reads an ISO-8601 local date-time, or the {@code [year, month, day, hour, minute(, second(,
     * nanos))]} array Jackson writes by default.
     */
    public static LocalDateTime readLocalDateTime(JsonParser in) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return LocalDateTime.parse(in.getText().trim());
        }
        if (t == JsonToken.START_ARRAY) {
            int[] p = readDateParts(in, 5, 7);
            return LocalDateTime.of(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongToken(in, "an ISO-8601 local date-time");
    }

    /** Reads an ISO-8601 local time ({@code 10:15:30.5}), or the {@code [hour, minute(, second(, nanos))]} array. */
    public static LocalTime readLocalTime(JsonParser in) throws IOException {
        if (in.hasToken(JsonToken.START_ARRAY)) {
            int[] p = readDateParts(in, 2, 4);
            return LocalTime.of(p[0], p[1], p[2], p[3]);
        }
        return parseText(in, "an ISO-8601 local time", LocalTime::parse);
    }

    /** Writes ISO-8601 with seconds always present ({@code 10:15:00}), as Jackson does. */
    public static void writeLocalTime(JsonGenerator out, LocalTime value) throws IOException {
        out.writeString(value == null ? null : DateTimeFormatter.ISO_LOCAL_TIME.format(value));
    }

    /** Reads an ISO-8601 offset time ({@code 10:15:30+01:00}). */
    public static OffsetTime readOffsetTime(JsonParser in) throws IOException {
        return parseText(in, "an ISO-8601 offset time", OffsetTime::parse);
    }

    /**
     * Reads an ISO-8601 date-time with offset and optional zone id
     * ({@code 2026-01-01T10:00:00+01:00[Europe/Paris]}), or a number of epoch seconds (read as UTC).
     */
    public static ZonedDateTime readZonedDateTime(JsonParser in) throws IOException {
        if (in.hasToken(JsonToken.VALUE_NUMBER_INT) || in.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
            return readInstant(in).atZone(ZoneOffset.UTC);
        }
        return parseText(in, "an ISO-8601 zoned date-time", ZonedDateTime::parse);
    }

    /** Writes ISO-8601 with the offset and the zone id in brackets, so that the zone is kept. */
    public static void writeZonedDateTime(JsonGenerator out, ZonedDateTime value) throws IOException {
        out.writeString(value == null ? null : DateTimeFormatter.ISO_ZONED_DATE_TIME.format(value));
    }

    /** Reads a year from a JSON number (as Jackson writes it) or a numeric string. */
    public static Year readYear(JsonParser in) throws IOException {
        if (in.hasToken(JsonToken.VALUE_NUMBER_INT)) {
            return Year.of(in.getIntValue());
        }
        return parseText(in, "a year", Year::parse);
    }

    /** Writes a year as a JSON number, or {@code null}. */
    public static void writeYear(JsonGenerator out, Year value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeNumber(value.getValue());
        }
    }

    /**
     * Reads an ISO-8601 year-month ({@code 2026-01}, {@code +10000-01}; also {@code 10000-01}, as
     * {@code toString()} writes it), or the {@code [year, month]} array.
     */
    public static YearMonth readYearMonth(JsonParser in) throws IOException {
        if (in.hasToken(JsonToken.START_ARRAY)) {
            int[] p = readDateParts(in, 2, 2);
            return YearMonth.of(p[0], p[1]);
        }
        // YearMonth.toString(), and so Jackson, leave out the "+" that parse wants before a five-digit year.
        return parseText(in, "an ISO-8601 year-month",
                t -> YearMonth.parse(t.length() > 7 && Character.isDigit(t.charAt(0)) ? "+" + t : t));
    }

    /**
     * Writes ISO-8601 ({@code 2026-01}), with a {@code +} before a year of more than four digits
     * ({@code +10000-01}, which {@code YearMonth.toString()} leaves out but {@code parse} needs).
     */
    public static void writeYearMonth(JsonGenerator out, YearMonth value) throws IOException {
        out.writeString(value == null ? null : ISO_YEAR_MONTH.format(value));
    }

    /** Reads an ISO-8601 month-day ({@code --12-03}), or the {@code [month, day]} array. */
    public static MonthDay readMonthDay(JsonParser in) throws IOException {
        if (in.hasToken(JsonToken.START_ARRAY)) {
            int[] p = readDateParts(in, 2, 2);
            return MonthDay.of(p[0], p[1]);
        }
        return parseText(in, "an ISO-8601 month-day", MonthDay::parse);
    }

    /** Reads an ISO-8601 period ({@code P1Y2M3D}, {@code P-1M}). */
    public static Period readPeriod(JsonParser in) throws IOException {
        return parseText(in, "an ISO-8601 period", Period::parse);
    }

    /** Reads a zone id ({@code Europe/Paris}, {@code +01:00}, {@code UTC}). */
    public static ZoneId readZoneId(JsonParser in) throws IOException {
        return parseText(in, "a zone id", ZoneId::of);
    }

    /** Reads a currency from its ISO 4217 code ({@code EUR}). */
    public static Currency readCurrency(JsonParser in) throws IOException {
        return parseText(in, "an ISO 4217 currency code", Currency::getInstance);
    }

    /** Reads a URI ({@code https://example.com/a?b}). */
    public static URI readUri(JsonParser in) throws IOException {
        return parseText(in, "a URI", URI::create);
    }

    /**
     * Writes the value's {@code toString()} as a string, or {@code null}: the text form of an
     * {@code OffsetTime} ({@code 10:15+01:00}, as Jackson writes it), {@code MonthDay}, {@code Period},
     * {@code ZoneId}, {@code Currency} or {@code URI}.
     */
    public static void writeText(JsonGenerator out, Object value) throws IOException {
        out.writeString(value == null ? null : value.toString());
    }

    // ---- primitive arrays other than byte[] (JSON arrays; a JSON null reads as null) ----

    /** Reads an array of numbers, each in the range of {@code short}. */
    public static short[] readShortArray(JsonParser in) throws IOException {
        return readArray(in, "an array of shorts", short[]::new, (p, a, i) -> a[i] = readShort(p));
    }

    /** Reads an array of numbers, each in the range of {@code int}. */
    public static int[] readIntArray(JsonParser in) throws IOException {
        return readArray(in, "an array of ints", int[]::new, (p, a, i) -> a[i] = readInt(p));
    }

    /** Reads an array of numbers, each in the range of {@code long}. */
    public static long[] readLongArray(JsonParser in) throws IOException {
        return readArray(in, "an array of longs", long[]::new, (p, a, i) -> a[i] = readLong(p));
    }

    /** Reads an array of numbers (or {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}). */
    public static float[] readFloatArray(JsonParser in) throws IOException {
        return readArray(in, "an array of floats", float[]::new, (p, a, i) -> a[i] = readFloat(p));
    }

    /** Reads an array of numbers (or {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}). */
    public static double[] readDoubleArray(JsonParser in) throws IOException {
        return readArray(in, "an array of doubles", double[]::new, (p, a, i) -> a[i] = readDouble(p));
    }

    /** Reads an array of {@code true}/{@code false}. */
    public static boolean[] readBooleanArray(JsonParser in) throws IOException {
        return readArray(in, "an array of booleans", boolean[]::new, (p, a, i) -> a[i] = readBoolean(p));
    }

    /** Reads a {@code char[]} from one JSON string (its characters). */
    public static char[] readCharArray(JsonParser in) throws IOException {
        String s = readString(in);
        return s == null ? null : s.toCharArray();
    }

    /** Writes a JSON array of numbers, or {@code null}. */
    public static void writeArray(JsonGenerator out, short[] value) throws IOException {
        writeArray(out, value, value == null ? 0 : value.length, (g, a, i) -> g.writeNumber(a[i]));
    }

    /** Writes a JSON array of numbers, or {@code null}. */
    public static void writeArray(JsonGenerator out, int[] value) throws IOException {
        writeArray(out, value, value == null ? 0 : value.length, (g, a, i) -> g.writeNumber(a[i]));
    }

    /** Writes a JSON array of numbers, or {@code null}. */
    public static void writeArray(JsonGenerator out, long[] value) throws IOException {
        writeArray(out, value, value == null ? 0 : value.length, (g, a, i) -> g.writeNumber(a[i]));
    }

    /** Writes a JSON array of numbers ({@code "NaN"} and the infinities as strings), or {@code null}. */
    public static void writeArray(JsonGenerator out, float[] value) throws IOException {
        writeArray(out, value, value == null ? 0 : value.length, (g, a, i) -> g.writeNumber(a[i]));
    }

    /** Writes a JSON array of numbers ({@code "NaN"} and the infinities as strings), or {@code null}. */
    public static void writeArray(JsonGenerator out, double[] value) throws IOException {
        writeArray(out, value, value == null ? 0 : value.length, (g, a, i) -> g.writeNumber(a[i]));
    }

    /** Writes a JSON array of booleans, or {@code null}. */
    public static void writeArray(JsonGenerator out, boolean[] value) throws IOException {
        writeArray(out, value, value == null ? 0 : value.length, (g, a, i) -> g.writeBoolean(a[i]));
    }

    /** Writes a {@code char[]} as one JSON string, or {@code null}. */
    public static void writeChars(JsonGenerator out, char[] value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeString(value, 0, value.length);
        }
    }

    // ---- maps with keys other than String ----

    /**
     * Turns a JSON property name into a map key with {@code parse} ({@code UUID::fromString},
     * {@code Color::valueOf}, ...).
     *
     * @param what the key type for the message, e.g. {@code "a UUID"}
     * @throws JsonParseException {@code bad key 'x': expected a UUID (...)}, when {@code parse} fails
     */
    public static <K> K mapKey(JsonParser in, String text, String what, Function<String, K> parse) throws IOException {
        try {
            return parse.apply(text);
        } catch (RuntimeException e) {
            throw new JsonParseException(in, "bad key " + quote(text) + ": expected " + what + reason(e));
        }
    }

    /**
     * As {@link #putNewKey(JsonParser, Map, String, Object)} for a map whose keys are not strings:
     * {@code keyText} is the property name the key was read from, for the message.
     */
    public static <K, V> void putNewKey(JsonParser in, Map<K, V> map, String keyText, K key, V value) throws IOException {
        int size = map.size();
        map.put(key, value);
        if (map.size() == size) {
            throw new JsonParseException(in, "duplicate key " + quote(keyText));
        }
    }

    // ---- sealed interfaces: {"<discriminator>": {...}} ----

    /**
     * Writes a value of a sealed interface as a one-property object: its subtype's discriminator,
     * then the value written by the subtype's codec.
     */
    public static <T> void writeVariant(JsonGenerator out, String discriminator, EventCodec<T> codec, T value)
            throws IOException {
        out.writeStartObject();
        out.writeFieldName(discriminator);
        codec.write(out, value);
        out.writeEndObject();
    }

    /**
     * Enters the one-property object of a sealed value: returns the discriminator, with the parser on
     * the {@code START_OBJECT} of the subtype's value.
     *
     * @param type the sealed interface's simple name, for messages
     * @param known the discriminators it has, for messages ({@code "Card, Cash"})
     */
    public static String beginVariant(JsonParser in, String type, String known) throws IOException {
        expect(in, JsonToken.START_OBJECT);
        String discriminator = in.nextFieldName();
        if (discriminator == null) {
            throw new JsonParseException(in, "expected one property naming the " + type + " subtype (" + known
                    + "), found an empty object");
        }
        in.nextToken();
        expect(in, JsonToken.START_OBJECT);
        return discriminator;
    }

    /** The error for a discriminator that names no subtype of the sealed interface. */
    public static JsonParseException unknownVariant(JsonParser in, String type, String known) throws IOException {
        return new JsonParseException(in, "unknown " + type + " subtype " + quote(in.currentName()) + "; known: "
                + known);
    }

    /** Leaves the one-property object of a sealed value, rejecting a second property. */
    public static void endVariant(JsonParser in, String type) throws IOException {
        String next = in.nextFieldName();
        if (next != null) {
            throw new JsonParseException(in, "expected one property in a " + type + " object, found a second one "
                    + quote(next));
        }
    }

    // ---- internals ----

    private static int[] readDateParts(JsonParser in, int min, int max) throws IOException {
        int[] values = new int[7];
        int n = 0;
        while (in.nextToken() != JsonToken.END_ARRAY) {
            if (n == max) {
                throw new JsonParseException(in, "expected at most " + max + " numbers in a date/time array");
            }
            values[n++] = readInt(in);
        }
        if (n < min) {
            throw new JsonParseException(in, "expected at least " + min + " numbers in a date/time array, found " + n);
        }
        return values;
    }

    /** What an array reader does with one element: reads it into {@code array[index]}. */
    @FunctionalInterface
    private interface ElementReader<A> {
        void read(JsonParser in, A array, int index) throws IOException;
    }

    /** What an array writer does with one element: writes {@code array[index]}. */
    @FunctionalInterface
    private interface ElementWriter<A> {
        void write(JsonGenerator out, A array, int index) throws IOException;
    }

    /** Writes a primitive array of {@code length} elements as a JSON array, or {@code null}. */
    private static <A> void writeArray(JsonGenerator out, A array, int length, ElementWriter<A> element)
            throws IOException {
        if (array == null) {
            out.writeNull();
            return;
        }
        out.writeStartArray(array, length);
        for (int i = 0; i < length; i++) {
            element.write(out, array, i);
        }
        out.writeEndArray();
    }

    /** Reads a JSON array into a primitive array made by {@code create}, growing it as needed. */
    private static <A> A readArray(JsonParser in, String what, IntFunction<A> create, ElementReader<A> element)
            throws IOException {
        if (in.hasToken(JsonToken.VALUE_NULL)) {
            return null;
        }
        if (!in.hasToken(JsonToken.START_ARRAY)) {
            throw wrongToken(in, what);
        }
        int capacity = 16;
        A array = create.apply(capacity);
        int n = 0;
        while (in.nextToken() != JsonToken.END_ARRAY) {
            if (n == capacity) {
                A bigger = create.apply(capacity *= 2);
                System.arraycopy(array, 0, bigger, 0, n);
                array = bigger;
            }
            element.read(in, array, n++);
        }
        A result = create.apply(n);
        System.arraycopy(array, 0, result, 0, n);
        return result;
    }

    /** Reads a string with {@code parse}; a failure names the text. */
    private static <T> T parseText(JsonParser in, String what, Function<String, T> parse) throws IOException {
        String text = readString(in);
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text.trim());
        } catch (RuntimeException e) {
            throw new JsonParseException(in, "expected " + what + ", found " + quote(text) + reason(e));
        }
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
    }

    /** The text in single quotes, cut after 100 characters: messages end up in logs. */
    private static String quote(String text) {
        return text == null ? "null" : "'" + (text.length() > 100 ? text.substring(0, 100) + "..." : text) + "'";
    }

    private static int nanosOf(BigDecimal seconds) {
        return seconds.subtract(new BigDecimal(seconds.toBigInteger())).multiply(NANOS_PER_SECOND).intValue();
    }

    private static void requireNumber(JsonParser in, String what) throws IOException {
        JsonToken t = in.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw wrongToken(in, what);
        }
    }

    private static JsonParseException wrongToken(JsonParser in, String expected) {
        return new JsonParseException(in, "expected " + expected + ", found " + describe(in.currentToken()));
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        switch (t) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return t.name();
        }
    }
}
