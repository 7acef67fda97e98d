package dev.eventsource;

/**
 * How large the things a command stores may be: the one place these limits are set. The engine
 * checks every event, metadata map and aggregate id against them before anything is written, and
 * refuses what is too large (or is not valid Unicode) with an {@link IllegalArgumentException}
 * naming the field, its size and the limit. Nothing is ever stored that cannot be read back: every
 * engine reads with limits at least as large as the largest value each limit can be set to (the
 * {@code MAX_*} constants), so events written under any settings stay readable, also by an engine
 * configured with smaller limits.
 *
 * <pre>{@code
 * Engine engine = Engine.builder()
 *         .store(store)
 *         .limits(Limits.defaults().maxStringLength(100_000).maxMetadataValueLength(1_024))
 *         .build();
 * }</pre>
 *
 * <p>Immutable: every method returns a new instance.
 *
 * @param maxEventBytes the largest serialized event (UTF-8 JSON), in bytes (default 16 MiB, at most
 *     {@value #MAX_EVENT_BYTES})
 * @param maxStringLength the longest string in an event, in UTF-16 chars as {@link String#length()}
 *     counts them; map keys and base64 of {@code byte[]} count as strings (default 10,000,000, at
 *     most {@value #MAX_STRING_LENGTH})
 * @param maxNumberLength the longest number in an event, in characters of its JSON text: what
 *     bounds {@code BigDecimal} and {@code BigInteger} values (default 1,000, at most
 *     {@value #MAX_NUMBER_LENGTH})
 * @param maxNestingDepth the deepest nesting of objects and arrays in an event; the event itself is
 *     depth 1 (default 100, at most {@value #MAX_NESTING_DEPTH})
 * @param maxIdLength the longest aggregate id, in chars (default 256, at most {@value #MAX_ID_LENGTH}:
 *     PostgreSQL's unique index on the stream holds keys of about 2,700 bytes)
 * @param maxMetadataEntries the most metadata entries one command may carry (default 64, at most
 *     {@value #MAX_METADATA_ENTRIES})
 * @param maxMetadataKeyLength the longest metadata key, in chars (default 256, at most
 *     {@value #MAX_METADATA_KEY_LENGTH})
 * @param maxMetadataValueLength the longest metadata value, in chars (default 16,384, at most
 *     {@value #MAX_METADATA_VALUE_LENGTH})
 */
public record Limits(
        int maxEventBytes,
        int maxStringLength,
        int maxNumberLength,
        int maxNestingDepth,
        int maxIdLength,
        int maxMetadataEntries,
        int maxMetadataKeyLength,
        int maxMetadataValueLength) {

    /** The largest value {@link #maxEventBytes} may be set to: 64 MiB. */
    public static final int MAX_EVENT_BYTES = 64 << 20;
    /** The largest value {@link #maxStringLength} may be set to. */
    public static final int MAX_STRING_LENGTH = MAX_EVENT_BYTES;
    /** The largest value {@link #maxNumberLength} may be set to. */
    public static final int MAX_NUMBER_LENGTH = 10_000;
    /** The largest value {@link #maxNestingDepth} may be set to. */
    public static final int MAX_NESTING_DEPTH = 1_000;
    /** The largest value {@link #maxIdLength} may be set to. */
    public static final int MAX_ID_LENGTH = 800;
    /** The largest value {@link #maxMetadataEntries} may be set to. */
    public static final int MAX_METADATA_ENTRIES = 10_000;
    /** The largest value {@link #maxMetadataKeyLength} may be set to. */
    public static final int MAX_METADATA_KEY_LENGTH = 10_000;
    /** The largest value {@link #maxMetadataValueLength} may be set to. */
    public static final int MAX_METADATA_VALUE_LENGTH = 1_000_000;

    private static final Limits DEFAULTS = new Limits(16 << 20, 10_000_000, 1_000, 100, 256, 64, 256, 16_384);

    /** Checks every limit is at least 1 and at most its {@code MAX_*} constant. */
    public Limits {
        check("maxEventBytes", maxEventBytes, MAX_EVENT_BYTES);
        check("maxStringLength", maxStringLength, MAX_STRING_LENGTH);
        check("maxNumberLength", maxNumberLength, MAX_NUMBER_LENGTH);
        check("maxNestingDepth", maxNestingDepth, MAX_NESTING_DEPTH);
        check("maxIdLength", maxIdLength, MAX_ID_LENGTH);
        check("maxMetadataEntries", maxMetadataEntries, MAX_METADATA_ENTRIES);
        check("maxMetadataKeyLength", maxMetadataKeyLength, MAX_METADATA_KEY_LENGTH);
        check("maxMetadataValueLength", maxMetadataValueLength, MAX_METADATA_VALUE_LENGTH);
    }

    private static void check(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(String.format("%s must be in 1..%,d (the largest every engine reads): %,d",
                    name, max, value));
        }
    }

    /** The defaults: 16 MiB events, 10,000,000-char strings, 1,000-char numbers, depth 100, 256-char ids, 64 metadata entries of 256-char keys and 16,384-char values. */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /** With another {@link #maxEventBytes}. */
    public Limits maxEventBytes(int bytes) {
        return new Limits(bytes, maxStringLength, maxNumberLength, maxNestingDepth, maxIdLength, maxMetadataEntries,
                maxMetadataKeyLength, maxMetadataValueLength);
    }

    /** With another {@link #maxStringLength}. */
    public Limits maxStringLength(int chars) {
        return new Limits(maxEventBytes, chars, maxNumberLength, maxNestingDepth, maxIdLength, maxMetadataEntries,
                maxMetadataKeyLength, maxMetadataValueLength);
    }

    /** With another {@link #maxNumberLength}. */
    public Limits maxNumberLength(int chars) {
        return new Limits(maxEventBytes, maxStringLength, chars, maxNestingDepth, maxIdLength, maxMetadataEntries,
                maxMetadataKeyLength, maxMetadataValueLength);
    }

    /** With another {@link #maxNestingDepth}. */
    public Limits maxNestingDepth(int depth) {
        return new Limits(maxEventBytes, maxStringLength, maxNumberLength, depth, maxIdLength, maxMetadataEntries,
                maxMetadataKeyLength, maxMetadataValueLength);
    }

    /** With another {@link #maxIdLength}. */
    public Limits maxIdLength(int chars) {
        return new Limits(maxEventBytes, maxStringLength, maxNumberLength, maxNestingDepth, chars, maxMetadataEntries,
                maxMetadataKeyLength, maxMetadataValueLength);
    }

    /** With another {@link #maxMetadataEntries}. */
    public Limits maxMetadataEntries(int entries) {
        return new Limits(maxEventBytes, maxStringLength, maxNumberLength, maxNestingDepth, maxIdLength, entries,
                maxMetadataKeyLength, maxMetadataValueLength);
    }

    /** With another {@link #maxMetadataKeyLength}. */
    public Limits maxMetadataKeyLength(int chars) {
        return new Limits(maxEventBytes, maxStringLength, maxNumberLength, maxNestingDepth, maxIdLength, maxMetadataEntries,
                chars, maxMetadataValueLength);
    }

    /** With another {@link #maxMetadataValueLength}. */
    public Limits maxMetadataValueLength(int chars) {
        return new Limits(maxEventBytes, maxStringLength, maxNumberLength, maxNestingDepth, maxIdLength, maxMetadataEntries,
                maxMetadataKeyLength, chars);
    }
}
