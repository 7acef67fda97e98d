package dev.eventsource.store.postgres.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.eventsource.Limits;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Event metadata (string to string) as a JSON object, written and read with Jackson's streaming API.
 * An empty map is stored as SQL {@code NULL}, so events without metadata cost nothing.
 *
 * <p>Reading is strict, since the column may hold anything another writer put there: the text must
 * be one JSON object whose values are strings (numbers and booleans are read as their text), with
 * no key twice; a {@code null}, object or array value is refused. Keys and values may be as long as
 * the largest settable {@link Limits} allow, so whatever any engine wrote reads back.
 *
 * <pre>{@code
 * String json = MetadataJson.write(Map.of("user", "ann"));   // {"user":"ann"}
 * Map<String, String> back = MetadataJson.read(json);
 * }</pre>
 *
 * <p>Thread-safe: the factory is immutable once built.
 */
public final class MetadataJson {

    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNameLength(Limits.MAX_METADATA_KEY_LENGTH)
                    .maxStringLength(Limits.MAX_METADATA_VALUE_LENGTH)
                    .maxNestingDepth(1)
                    .build())
            .build();

    /** How much of a refused document an error message quotes. */
    private static final int QUOTED = 100;

    private MetadataJson() {
    }

    /** The map as a JSON object, or {@code null} for an empty map. */
    public static String write(Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return null;
        }
        StringWriter out = new StringWriter(32 * metadata.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write event metadata with keys " + metadata.keySet(), e);
        }
        return out.toString();
    }

    /**
     * The map a {@link #write} produced; {@code null} reads as empty.
     *
     * @throws IOException if the text is not a flat JSON object of strings with distinct keys, or a
     *     key or value is longer than the largest settable limit
     */
    public static Map<String, String> read(String json) throws IOException {
        if (json == null) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new IOException("metadata is not a JSON object but " + first + ": " + quote(json));
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (value == null || !value.isScalarValue() || value == JsonToken.VALUE_NULL) {
                    throw new IOException("metadata key '" + quote(key) + "' has " + value + " as its value, not a string");
                }
                if (map.put(key, p.getText()) != null) {
                    throw new IOException("metadata key '" + quote(key) + "' appears twice");
                }
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static String quote(String text) {
        return text.length() <= QUOTED ? text : text.substring(0, QUOTED) + "... (" + text.length() + " chars)";
    }
}
