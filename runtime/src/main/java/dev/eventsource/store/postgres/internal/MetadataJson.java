package dev.eventsource.store.postgres.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 * <pre>{@code
 * String json = MetadataJson.write(Map.of("user", "ann"));   // {"user":"ann"}
 * Map<String, String> back = MetadataJson.read(json);
 * }</pre>
 *
 * <p>Thread-safe: the factory is immutable once built.
 */
public final class MetadataJson {

    private static final JsonFactory JSON = new JsonFactory();

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
            throw new UncheckedIOException("cannot write event metadata " + metadata, e);
        }
        return out.toString();
    }

    /**
     * The map a {@link #write} produced; {@code null} reads as empty.
     *
     * @throws IOException if the text is not a flat JSON object of strings
     */
    public static Map<String, String> read(String json) throws IOException {
        if (json == null) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("metadata is not a JSON object: " + json);
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                map.put(key, value == JsonToken.VALUE_NULL ? null : p.getValueAsString());
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
