package dev.eventsource.internal;

import dev.eventsource.Limits;
import java.util.Map;

/**
 * The checks every aggregate id and metadata map passes before a command runs or a stream is read:
 * present, within the engine's {@link Limits}, and valid Unicode with no U+0000 in ids (PostgreSQL
 * would turn an unpaired surrogate into {@code ?}, so two ids would name one stream). Errors name
 * the aggregate type, the key and the limit, and show at most a short excerpt of a huge value.
 *
 * <pre>{@code
 * Inputs.checkId(limits, "Order", id);                       // IllegalArgumentException when bad
 * Map<String, String> frozen = Inputs.metadata(limits, "Order", id, metadata);
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class Inputs {

    private Inputs() {
    }

    /**
     * Checks an aggregate id of {@code streamType}.
     *
     * @throws IllegalArgumentException if it is null, empty, too long or not valid Unicode
     */
    public static void checkId(Limits limits, String streamType, String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("aggregate id must not be null or empty: " + Text.abbreviate(id) + " for "
                    + streamType);
        }
        if (id.length() > limits.maxIdLength()) {
            throw new IllegalArgumentException(String.format("aggregate id of %s is %,d chars, over the limit of %,d"
                    + " (Limits.maxIdLength): %s", streamType, id.length(), limits.maxIdLength(), Text.abbreviate(id)));
        }
        int bad = Text.invalidAt(id, false);
        if (bad >= 0) {
            throw new IllegalArgumentException("aggregate id of " + streamType + " is not valid Unicode: "
                    + Text.problemAt(id, bad) + " of " + Text.abbreviate(id));
        }
    }

    /**
     * Checks a command's headers and returns an immutable copy ({@code Map.of()} when empty).
     *
     * @throws IllegalArgumentException naming the key when a key or value is null, empty (keys),
     *     too long or not valid Unicode, or when there are too many entries
     */
    public static Map<String, String> metadata(Limits limits, String streamType, String id, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return Map.of();
        }
        String where = streamType + "/" + Text.abbreviate(id);
        if (metadata.size() > limits.maxMetadataEntries()) {
            throw new IllegalArgumentException(String.format("metadata of the command on %s has %,d entries, over the limit"
                    + " of %,d (Limits.maxMetadataEntries)", where, metadata.size(), limits.maxMetadataEntries()));
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("metadata of the command on " + where + " has a"
                        + (key == null ? " null" : "n empty") + " key (with value " + Text.abbreviate(value) + ")");
            }
            checkText(limits.maxMetadataKeyLength(), "Limits.maxMetadataKeyLength", "metadata key", key, where);
            if (value == null) {
                throw new IllegalArgumentException("metadata key " + Text.abbreviate(key) + " of the command on " + where
                        + " has a null value; leave the key out instead");
            }
            checkText(limits.maxMetadataValueLength(), "Limits.maxMetadataValueLength",
                    "value of metadata key " + Text.abbreviate(key), value, where);
        }
        return Map.copyOf(metadata);
    }

    /**
     * Checks one metadata value the engine writes under a reserved key (a given command id, say).
     *
     * @throws IllegalArgumentException naming the key when the value is too long or not valid Unicode
     */
    public static void metadataValue(Limits limits, String streamType, String id, String key, String value) {
        if (value.length() > limits.maxMetadataValueLength() || Text.invalidAt(value, true) >= 0) {
            // Only now build the names the message needs: a valid value costs no string building.
            checkText(limits.maxMetadataValueLength(), "Limits.maxMetadataValueLength", "value of metadata key " + key,
                    value, streamType + "/" + Text.abbreviate(id));
        }
    }

    private static void checkText(int max, String limit, String what, String text, String where) {
        if (text.length() > max) {
            throw new IllegalArgumentException(String.format("%s of the command on %s is %,d chars, over the limit of %,d"
                    + " (%s): %s", what, where, text.length(), max, limit, Text.abbreviate(text)));
        }
        int bad = Text.invalidAt(text, true);
        if (bad >= 0) {
            throw new IllegalArgumentException(what + " of the command on " + where + " is not valid Unicode: "
                    + Text.problemAt(text, bad) + " of " + Text.abbreviate(text));
        }
    }
}
