package dev.eventsource.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Runs the store conformance suite against {@link InMemoryStore}, plus its own specifics; its
 * {@code TransactionalCheckpoints} checks are reported as skipped (it has no transactions).
 */
class InMemoryStoreTest extends StoreConformance<InMemoryStore> {

    @Override
    protected InMemoryStore createStore() {
        return new InMemoryStore();
    }

    @Test
    void freshStoreHasAnEmptyLog() {
        assertThat(store.headPosition()).isZero();
        assertThat(store.readLog(0, 10)).isEmpty();
    }

    @Test
    void logSpanningManyChunksIsReadBack() {
        int total = 50_000;
        NewEvent e = new NewEvent(UUID.randomUUID(), "E", 1, Instant.now(), "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        long[] versions = new long[7];
        for (int i = 0; i < total; i++) {
            versions[i % 7] = store.append("T", "s" + (i % 7), versions[i % 7], List.of(e)).version();
        }
        long position = 0;
        int seen = 0;
        for (List<StoredEvent> batch; !(batch = store.readLog(position, 3_000)).isEmpty(); ) {
            for (StoredEvent s : batch) {
                assertThat(s.globalPosition()).isEqualTo(++position);
                seen++;
            }
        }
        assertThat(seen).isEqualTo(total);
        assertThat(store.headPosition()).isEqualTo(total);
    }
}
