package dev.eventsource.tests.evolution.shipping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.NewEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Events as an earlier release stored them, from a JSON Lines file in the test resources: one
 * object per line with the stream id, the stored type name, the payload version and the payload.
 * Appended with the store API, exactly as rows that release wrote.
 */
final class StoredFixtures {

    private static final JsonFactory JSON = new JsonFactory();

    private StoredFixtures() {
    }

    /** Appends every event of {@code resource} to streams of {@code streamType}, in file order. */
    static void append(EventStore store, String streamType, String resource) {
        Map<String, List<NewEvent>> byStream = new LinkedHashMap<>();
        try (InputStream in = StoredFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    parse(line, byStream);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byStream.forEach((id, events) -> store.append(streamType, id, 0, events));
    }

    private static void parse(String line, Map<String, List<NewEvent>> byStream) throws IOException {
        String stream = null;
        String type = null;
        int version = 0;
        byte[] payload = null;
        try (JsonParser p = JSON.createParser(line)) {
            p.nextToken();
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                switch (field) {
                    case "stream" -> stream = p.getText();
                    case "type" -> type = p.getText();
                    case "version" -> version = p.getIntValue();
                    case "payload" -> payload = copy(p);
                    default -> throw new IOException("unknown fixture property " + field + " (" + value + ") in " + line);
                }
            }
        }
        byStream.computeIfAbsent(stream, s -> new ArrayList<>()).add(new NewEvent(UUID.randomUUID(), type, version,
                Instant.parse("2026-01-01T00:00:00Z"), payload, Map.of()));
    }

    private static byte[] copy(JsonParser p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.copyCurrentStructure(p);
        }
        return bytes.toByteArray();
    }
}
