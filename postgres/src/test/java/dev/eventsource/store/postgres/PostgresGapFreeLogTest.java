package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The global log never lets a tailing reader skip an event: 16 writers commit concurrently with
 * random delays inside their transactions (4 with a store each; 4 more with a store each and no
 * delay, so their appends run as single auto-commit statements; 8 sharing one group-commit store),
 * on private and contended streams, while a reader tails {@code readLog} by its last position.
 */
class PostgresGapFreeLogTest {

    private static final String SCHEMA = "es_t_gapfree";
    private static final int WRITERS = 16;
    private static final int APPENDS_PER_WRITER = 50;
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, WRITERS + 4);

    private static PostgresStore store(boolean groupCommit) {
        return db.store(b -> b.groupCommit(groupCommit)
                .beforeCommit(() -> pause(ThreadLocalRandom.current().nextInt(0, 1_500))));   // inside the transaction
    }

    private static void pause(int micros) {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aTailingReaderSeesEveryEventExactlyOnceAndEachStreamInVersionOrder() throws Exception {
        PostgresStore reader = store(true);
        PostgresStore grouped = store(true);
        PgTestDatabase.forbidEventChanges(reader);
        List<PostgresStore> writerStores = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            // 4 alone with delays in transactions, 4 alone in auto-commit (one statement, no seam), 8 sharing group commit
            writerStores.add(w < WRITERS / 4 ? store(false) : w < WRITERS / 2 ? db.store(b -> b.groupCommit(false)) : grouped);
        }

        Map<UUID, Long> committed = new ConcurrentHashMap<>();       // event id -> position from AppendResult
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                start.await();
                write(writerStores.get(writer), writer, committed);
                return null;
            }));
        }
        Future<List<StoredEvent>> tail = pool.submit(() -> tail(reader, writers));
        start.countDown();
        for (Future<?> f : writers) {
            f.get(60, TimeUnit.SECONDS);
        }
        List<StoredEvent> seen = tail.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        // Exactly once: every committed event, nothing else, no duplicates.
        assertThat(seen).hasSize(committed.size());
        Set<UUID> ids = new HashSet<>();
        for (StoredEvent e : seen) {
            assertThat(ids.add(e.eventId())).as("seen twice: %s", e.describe()).isTrue();
            assertThat(committed.get(e.eventId())).as("position of %s", e.describe()).isEqualTo(e.globalPosition());
        }
        assertThat(ids).isEqualTo(committed.keySet());
        // Positions are dense and increasing in the order the reader saw them.
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i).globalPosition()).isEqualTo(i + 1L);
        }
        // Each stream in version order, without holes.
        Map<String, Long> versions = new HashMap<>();
        for (StoredEvent e : seen) {
            long previous = versions.getOrDefault(e.streamType() + "/" + e.streamId(), 0L);
            assertThat(e.version()).as("version order of %s", e.describe()).isEqualTo(previous + 1);
            versions.put(e.streamType() + "/" + e.streamId(), e.version());
        }
    }

    /** Appends to the writer's own streams and to three streams every writer contends for. */
    private static void write(PostgresStore store, int writer, Map<UUID, Long> committed) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < APPENDS_PER_WRITER; i++) {
            String stream = random.nextInt(4) == 0 ? "shared-" + random.nextInt(3) : "w" + writer + "-" + random.nextInt(3);
            List<NewEvent> events = new ArrayList<>();
            for (int k = random.nextInt(1, 4); k > 0; k--) {
                events.add(event("Tick", "{\"writer\":" + writer + "}"));
            }
            while (true) {
                long version = store.readStream("Counter", stream, 0, e -> { });
                try {
                    AppendResult r = store.append("Counter", stream, version, events);
                    for (int k = 0; k < events.size(); k++) {
                        committed.put(events.get(k).eventId(), r.firstPosition() + k);
                    }
                    break;
                } catch (ConcurrencyException e) {
                    // another writer won the race; read again and retry
                }
            }
            pause(random.nextInt(0, 300));
        }
    }

    /** Tails the log by its last seen position until the writers are done and the head is reached. */
    private static List<StoredEvent> tail(PostgresStore reader, List<Future<?>> writers) {
        List<StoredEvent> seen = new ArrayList<>();
        long position = 0;
        while (true) {
            boolean writersDone = writers.stream().allMatch(Future::isDone);
            List<StoredEvent> batch = reader.readLog(position, 1 + ThreadLocalRandom.current().nextInt(40));
            seen.addAll(batch);
            if (!batch.isEmpty()) {
                position = batch.get(batch.size() - 1).globalPosition();
            } else if (writersDone && position == reader.headPosition()) {
                return seen;
            }
        }
    }
}
