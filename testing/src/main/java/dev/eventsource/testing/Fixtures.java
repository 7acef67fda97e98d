package dev.eventsource.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadLog;
import dev.eventsource.store.ReadStream;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Values and reads the role suites share: fresh names, events, snapshots. */
final class Fixtures {

    private Fixtures() {
    }

    /** A stream type no other check uses. */
    static String newType() {
        return "Tck" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A stream id no other check uses. */
    static String newId() {
        return "s-" + UUID.randomUUID();
    }

    /** A projection name no other check uses. */
    static String newProjection() {
        return "p-" + UUID.randomUUID();
    }

    static NewEvent event(String eventType, String json) {
        return event(eventType, 1, json);
    }

    static NewEvent event(String eventType, int eventVersion, String json) {
        return new NewEvent(UUID.randomUUID(), eventType, eventVersion, Instant.now().truncatedTo(ChronoUnit.MICROS),
                json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** {@code n} events {@code {"n":0}}, {@code {"n":1}}, ... */
    static List<NewEvent> events(int n) {
        List<NewEvent> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(event("Counted", "{\"n\":" + i + "}"));
        }
        return list;
    }

    /** Every event of the stream. */
    static List<StoredEvent> stream(ReadStream store, String type, String id) {
        List<StoredEvent> out = new ArrayList<>();
        store.readStream(type, id, 0, out::add);
        return out;
    }

    /** Every event of the log after {@code position}, read in batches of 100. */
    static List<StoredEvent> logAfter(ReadLog store, long position) {
        List<StoredEvent> out = new ArrayList<>();
        for (List<StoredEvent> batch; !(batch = store.readLog(position, 100)).isEmpty(); ) {
            out.addAll(batch);
            position = batch.get(batch.size() - 1).globalPosition();
        }
        return out;
    }

    /** A snapshot with fingerprint 42 and {@code state} as its UTF-8 bytes. */
    static Snapshot snapshot(String type, String id, long version, String state) {
        return new Snapshot(type, id, version, 42L, state.getBytes(StandardCharsets.UTF_8),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    /** Checks every field a snapshot was saved with by {@link #snapshot}. */
    static void assertSnapshot(Snapshot loaded, String type, String id, long version, String state) {
        assertThat(loaded.version()).isEqualTo(version);
        assertThat(loaded.fingerprint()).isEqualTo(42L);
        assertThat(new String(loaded.state(), StandardCharsets.UTF_8)).isEqualTo(state);
        assertThat(loaded.streamType()).isEqualTo(type);
        assertThat(loaded.streamId()).isEqualTo(id);
    }
}
