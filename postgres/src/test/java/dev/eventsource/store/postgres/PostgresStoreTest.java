package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.AggregateLoad;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StoredEventType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresStoreTest {

    private static final String SCHEMA = "es_t_store";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 4);
    private static HikariDataSource dataSource;
    private static PostgresStore store;

    @BeforeAll
    static void setUp() {
        dataSource = db.dataSource();
        store = db.store(b -> b.readBatchSize(7));
        PgTestDatabase.forbidEventChanges(store);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static List<StoredEvent> stream(String type, String id, long after) {
        List<StoredEvent> events = new ArrayList<>();
        store.readStream(type, id, after, events::add);
        return events;
    }

    @Test
    void appendsAndReadsBackEveryField() {
        String id = id();
        NewEvent created = new NewEvent(UUID.randomUUID(), "OrderCreated", 2, Instant.parse("2024-05-06T07:08:09.123456Z"),
                "{\"id\":\"o1\",\"amount\":9.5}".getBytes(StandardCharsets.UTF_8), Map.of("user", "ann", "trace", "t-1"));
        NewEvent paid = event("OrderPaid", "{}");

        AppendResult result = store.append("Order", id, 0, List.of(created, paid));

        assertThat(result.version()).isEqualTo(2);
        assertThat(result.lastPosition()).isEqualTo(result.firstPosition() + 1);
        List<StoredEvent> read = stream("Order", id, 0);
        assertThat(read).hasSize(2);
        StoredEvent first = read.get(0);
        assertThat(first.globalPosition()).isEqualTo(result.firstPosition());
        assertThat(first.streamType()).isEqualTo("Order");
        assertThat(first.streamId()).isEqualTo(id);
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.eventId()).isEqualTo(created.eventId());
        assertThat(first.eventType()).isEqualTo("OrderCreated");
        assertThat(first.eventVersion()).isEqualTo(2);
        assertThat(first.timestamp()).isEqualTo(created.timestamp());
        assertThat(first.payload()).isEqualTo(created.payload());
        assertThat(first.metadata()).isEqualTo(created.metadata());
        assertThat(read.get(1).version()).isEqualTo(2);
        assertThat(read.get(1).metadata()).isEmpty();
        assertThat(read.get(1).globalPosition()).isEqualTo(result.lastPosition());
    }

    @Test
    void positionsAreDenseAcrossAppendsAndConflicts() {
        String a = id();
        AppendResult r1 = store.append("Order", a, 0, List.of(event("A", "{}")));
        assertThatThrownBy(() -> store.append("Order", a, 0, List.of(event("A", "{}"))))
                .isInstanceOf(ConcurrencyException.class);
        AppendResult r2 = store.append("Order", id(), 0, List.of(event("B", "{}"), event("B", "{}")));

        assertThat(r2.firstPosition()).isEqualTo(r1.lastPosition() + 1);
        assertThat(store.headPosition()).isGreaterThanOrEqualTo(r2.lastPosition());
    }

    @Test
    void conflictsNameTheStreamAndBothVersionsAndAppendNothing() {
        String id = id();
        store.append("Order", id, 0, List.of(event("A", "{}"), event("B", "{}")));
        long head = store.headPosition();

        assertThatThrownBy(() -> store.append("Order", id, 1, List.of(event("C", "{}"))))
                .isInstanceOfSatisfying(ConcurrencyException.class, e -> {
                    assertThat(e.streamType()).isEqualTo("Order");
                    assertThat(e.streamId()).isEqualTo(id);
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
        // An expected version beyond the stream's end must not create a gap either.
        assertThatThrownBy(() -> store.append("Order", id, 5, List.of(event("C", "{}"))))
                .isInstanceOfSatisfying(ConcurrencyException.class, e -> assertThat(e.actualVersion()).isEqualTo(2));
        assertThatThrownBy(() -> store.append("Order", id(), 3, List.of(event("C", "{}"))))
                .isInstanceOfSatisfying(ConcurrencyException.class, e -> assertThat(e.actualVersion()).isZero());

        assertThat(store.headPosition()).isEqualTo(head);
        assertThat(stream("Order", id, 0)).extracting(StoredEvent::eventType).containsExactly("A", "B");
    }

    @Test
    void streamsOfTheSameIdButAnotherTypeAreSeparate() {
        String id = id();
        store.append("Order", id, 0, List.of(event("A", "{}")));
        store.append("Customer", id, 0, List.of(event("B", "{}")));

        assertThat(stream("Order", id, 0)).extracting(StoredEvent::eventType).containsExactly("A");
        assertThat(stream("Customer", id, 0)).extracting(StoredEvent::eventType).containsExactly("B");
    }

    @Test
    void readsStreamsInPagesFromAVersion() {
        String id = id();
        List<NewEvent> events = IntStream.rangeClosed(1, 20).mapToObj(i -> event("E" + i, "{}")).toList();
        store.append("Order", id, 0, events);

        List<StoredEvent> read = new ArrayList<>();
        long last = store.readStream("Order", id, 4, read::add);     // readBatchSize is 7: three pages

        assertThat(last).isEqualTo(20);
        assertThat(read).extracting(StoredEvent::version).containsExactlyElementsOf(
                IntStream.rangeClosed(5, 20).mapToObj(i -> (long) i).toList());
        assertThat(store.readStream("Order", id, 20, e -> { })).isEqualTo(20);
        assertThat(store.readStream("Order", id(), 0, e -> { })).isZero();
    }

    @Test
    void readLogUsesKeysetPagesCappedAtTheReadBatchSize() {
        long start = store.headPosition();
        String id = id();
        store.append("Order", id, 0, IntStream.range(0, 10).mapToObj(i -> event("E", "{}")).toList());

        List<StoredEvent> page = store.readLog(start, 1_000);
        assertThat(page).hasSize(7);
        assertThat(page).extracting(StoredEvent::globalPosition)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 7).mapToObj(i -> start + i).toList());
        assertThat(store.readLog(start + 7, 2)).extracting(StoredEvent::globalPosition).containsExactly(start + 8, start + 9);
        assertThat(store.readLog(store.headPosition(), 5)).isEmpty();
        assertThatThrownBy(() -> store.readLog(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appendsLargerThanOneStatementAreAtomic() {
        String id = id();
        List<NewEvent> big = IntStream.range(0, 1_234).mapToObj(i -> event("E", "{\"i\":" + i + "}")).toList();

        AppendResult r = store.append("Order", id, 0, big);

        assertThat(r.version()).isEqualTo(1_234);
        assertThat(r.lastPosition() - r.firstPosition()).isEqualTo(1_233);
        List<StoredEvent> read = stream("Order", id, 0);
        assertThat(read).hasSize(1_234);
        assertThat(read.get(1_233).payload()).isEqualTo("{\"i\":1233}".getBytes(StandardCharsets.UTF_8));
        assertThat(read.get(1_233).globalPosition()).isEqualTo(r.lastPosition());

        long head = store.headPosition();
        assertThatThrownBy(() -> store.append("Order", id, 1, big)).isInstanceOf(ConcurrencyException.class);
        assertThat(store.headPosition()).isEqualTo(head);
    }

    @Test
    void valuesAreBoundNotSpliced() {
        String id = "o'; DROP TABLE " + SCHEMA + ".es_events; --ü€";
        String type = "Order\"X'";
        store.append(type, id, 0, List.of(new NewEvent(UUID.randomUUID(), "It's", 1, Instant.now(),
                "\"quote ' and \\\\ backslash\"".getBytes(StandardCharsets.UTF_8), Map.of("k'", "v\"\\"))));

        StoredEvent e = stream(type, id, 0).get(0);
        assertThat(e.streamId()).isEqualTo(id);
        assertThat(e.streamType()).isEqualTo(type);
        assertThat(e.eventType()).isEqualTo("It's");
        assertThat(e.metadata()).containsEntry("k'", "v\"\\");
    }

    @Test
    void rejectsUnsafeIdentifiersInOptions() {
        assertThatThrownBy(() -> PostgresStore.builder(dataSource).schema("x; DROP TABLE y").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema").hasMessageContaining("x; DROP TABLE y");
        assertThatThrownBy(() -> PostgresStore.builder(dataSource).schema("Public").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresStore.builder(dataSource).schema("pg_mine").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> PostgresStore.builder(dataSource).tablePrefix("es-").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table prefix");
        assertThatThrownBy(() -> PostgresStore.builder(dataSource).tablePrefix("a".repeat(21)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresStore.builder(dataSource).readBatchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThat(PostgresStore.builder(dataSource).schema("s_1").tablePrefix("").build().eventsTable()).isEqualTo("s_1.events");
    }

    @Test
    void badValuesFailWithTheStreamNamedAndTheStoreGoesOn() {
        String id = id();
        NewEvent first = event("A", "{}");
        store.append("Order", id, 0, List.of(first));

        // A NUL character cannot be stored in text: a data error, reported for this append only.
        assertThatThrownBy(() -> store.append("Order", "bad\u0000id", 0, List.of(event("A", "{}"))))
                .isInstanceOf(StoreException.class).hasMessageContaining("Order/bad");
        // The same event id twice: the unique key refuses it.
        NewEvent again = new NewEvent(first.eventId(), "B", 1, Instant.now(), new byte[] {'1'}, Map.of());
        assertThatThrownBy(() -> store.append("Order", id(), 0, List.of(again)))
                .isInstanceOf(StoreException.class).hasMessageContaining("event id");

        assertThat(store.append("Order", id, 1, List.of(event("B", "{}"))).version()).isEqualTo(2);
    }

    @Test
    void rowsThatWillNotDecodeAreReturnedIntactWithTheirContext() throws Exception {
        String id = id();
        store.append("Order", id, 0, List.of(event("OrderCreated", "{}")));
        byte[] garbage = {(byte) 0xff, 0, '{', (byte) 0xc3};
        long position = store.headPosition() + 1;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
                + store.eventsTable() + " (position, stream_type, stream_id, version, event_id, event_type, event_version,"
                + " recorded_at, payload) VALUES (?, 'Order', ?, 2, ?, 'NoSuchType', 9, now(), ?)")) {
            ps.setLong(1, position);
            ps.setString(2, id);
            ps.setObject(3, UUID.randomUUID());
            ps.setBytes(4, garbage);
            ps.executeUpdate();
        }

        StoredEvent fromStream = stream("Order", id, 1).get(0);
        StoredEvent fromLog = store.readLog(position - 1, 10).get(0);
        for (StoredEvent e : List.of(fromStream, fromLog)) {
            assertThat(e.payload()).isEqualTo(garbage);
            assertThat(e.eventType()).isEqualTo("NoSuchType");
            assertThat(e.eventVersion()).isEqualTo(9);
            assertThat(e.describe()).contains("Order/" + id + "@2").contains("position " + position).contains("NoSuchType");
        }
    }

    @Test
    void aLoneAppendIsOneAutoCommitStatementAndALoadIsOneQuery() {
        RoundTrips trips = new RoundTrips(dataSource);
        PostgresStore counted = PostgresStore.builder(trips.dataSource()).schema(SCHEMA).readBatchSize(7).build();
        counted.migrate();
        String id = id();

        String type = "Order" + UUID.randomUUID().toString().substring(0, 8);
        trips.reset();
        counted.append(type, id(), 0, List.of(event("OrderCreated", "{}")));
        assertThat(trips.calls()).as("a combination new to the process: the append and its row of the event types table,"
                + " one transaction").containsExactly("executeUpdate", "executeUpdate", "commit");
        assertThat(counted.storedEventTypes()).contains(new StoredEventType(type, "OrderCreated", 1));

        counted.append("Order", id(), 0, List.of(event("OrderCreated", "{}")));
        trips.reset();
        counted.append("Order", id, 0, List.of(event("OrderCreated", "{}")));
        assertThat(trips.calls()).as("steady state: one statement, no COMMIT").containsExactly("executeUpdate");

        trips.reset();
        assertThatThrownBy(() -> counted.append("Order", id, 0, List.of(event("OrderCreated", "{}"))))
                .isInstanceOf(ConcurrencyException.class);
        assertThat(trips.calls()).as("the statement, then the current version for the exception")
                .containsExactly("executeUpdate", "executeQuery");

        counted.append("Order", id, 1, List.of(event("OrderPaid", "{}"), event("OrderShipped", "{}")));
        counted.saveSnapshot(new Snapshot("Order", id, 2, 42L, new byte[] {2}, Instant.now()));
        trips.reset();
        List<String> seen = new ArrayList<>();
        long version = counted.loadAggregate("Order", id, new AggregateLoad() {
            @Override
            public boolean snapshot(Snapshot s) {
                seen.add("snapshot@" + s.version());
                return true;
            }

            @Override
            public void accept(StoredEvent e) {
                seen.add(e.eventType() + "@" + e.version());
            }
        });
        assertThat(version).isEqualTo(3);
        assertThat(seen).containsExactly("snapshot@2", "OrderShipped@3");
        assertThat(trips.calls()).as("snapshot and events in one query").containsExactly("executeQuery");
        counted.close();
    }

    @Test
    void anAppendWhoseCombinationCannotBeRecordedStoresNothingAndTheNextOneRecordsIt() {
        String type = "Atomic" + UUID.randomUUID().toString().substring(0, 8);
        PostgresStore fresh = PostgresStore.builder(dataSource).schema(SCHEMA).build();   // its own, empty cache
        PgTestDatabase.execute("ALTER TABLE " + SCHEMA + ".es_event_types ADD CONSTRAINT no_" + type.toLowerCase()
                + " CHECK (stream_type <> '" + type + "')");
        try {
            assertThatThrownBy(() -> fresh.append(type, "a1", 0, List.of(event("Opened", "{}"))))
                    .isInstanceOf(StoreException.class).hasMessageContaining(type + "/a1");
            assertThat(store.readStream(type, "a1", 0, e -> { })).as("the events roll back with the combination").isZero();
        } finally {
            PgTestDatabase.execute("ALTER TABLE " + SCHEMA + ".es_event_types DROP CONSTRAINT no_" + type.toLowerCase());
        }

        fresh.append(type, "a1", 0, List.of(event("Opened", "{}")));

        assertThat(store.storedEventTypes()).contains(new StoredEventType(type, "Opened", 1));
        fresh.close();
    }

    @Test
    void keepsTheNewestSnapshot() {
        String id = id();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        assertThat(store.loadSnapshot("Order", id)).isEmpty();

        store.saveSnapshot(new Snapshot("Order", id, 5, 42L, new byte[] {5}, at));
        store.saveSnapshot(new Snapshot("Order", id, 3, 42L, new byte[] {3}, at));   // older: ignored
        assertThat(store.loadSnapshot("Order", id)).get().satisfies(s -> {
            assertThat(s.version()).isEqualTo(5);
            assertThat(s.state()).containsExactly(5);
            assertThat(s.fingerprint()).isEqualTo(42L);
            assertThat(s.takenAt()).isEqualTo(at);
        });
        store.saveSnapshot(new Snapshot("Order", id, 7, -1L, new byte[] {7}, at));
        assertThat(store.loadSnapshot("Order", id)).get().extracting(Snapshot::version, Snapshot::fingerprint)
                .containsExactly(7L, -1L);
    }

    @Test
    void checkpointsAreUpsertedPerPartitionAndDeletedPerProjection() {
        String projection = "summary-" + id();
        assertThat(store.loadCheckpoints(projection)).isEmpty();

        store.saveCheckpoint(projection, 0, 10);
        store.saveCheckpoint(projection, 1, 12);
        store.saveCheckpoint(projection, 0, 15);
        store.saveCheckpoint("other-" + projection, 0, 99);

        assertThat(store.loadCheckpoints(projection)).isEqualTo(Map.of(0, 15L, 1, 12L));
        store.deleteCheckpoints(projection);
        assertThat(store.loadCheckpoints(projection)).isEmpty();
        assertThat(store.loadCheckpoints("other-" + projection)).isEqualTo(Map.of(0, 99L));
    }

    @Test
    void deadLettersAreKeptInPositionOrderOnePerPosition() {
        String projection = "p-" + id();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        store.saveDeadLetter(new DeadLetter(projection, 1, 30, "Order", "o3", 2, "OrderPaid", 3, "boom", at));
        store.saveDeadLetter(new DeadLetter(projection, 0, 10, "Order", "o1", 1, "OrderCreated", 3, "first", at));
        store.saveDeadLetter(new DeadLetter(projection, 0, 10, "Order", "o1", 1, "OrderCreated", 5, "second", at));

        List<DeadLetter> letters = store.loadDeadLetters(projection);
        assertThat(letters).extracting(DeadLetter::globalPosition).containsExactly(10L, 30L);
        assertThat(letters.get(0)).isEqualTo(new DeadLetter(projection, 0, 10, "Order", "o1", 1, "OrderCreated", 5, "second", at));
        assertThat(store.loadDeadLetters("nobody")).isEmpty();
    }

    @Test
    void rejectsMeaninglessArguments() {
        assertThatThrownBy(() -> store.append("Order", "x", 0, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Order/x");
        assertThatThrownBy(() -> store.append("Order", "x", -1, List.of(event("A", "{}"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void worksOnAPoolWhoseConnectionsDefaultToAutoCommitOff() throws Exception {
        try (HikariDataSource manual = PgTestDatabase.pool(SCHEMA + "_manual", 2, c -> c.setAutoCommit(false));
                PostgresStore other = PostgresStore.builder(manual).schema(SCHEMA).build()) {
            Semaphore wakes = new Semaphore(0);
            other.onAppend(wakes::release);
            Thread.sleep(300);
            wakes.drainPermits();

            other.saveCheckpoint("manual", 0, 5);
            other.saveSnapshot(new Snapshot("Order", "manual", 1, 1L, new byte[] {1}, Instant.now()));
            store.append("Order", "manual-" + id(), 0, List.of(event("A", "{}")));   // appended by another store

            assertThat(store.loadCheckpoints("manual")).isEqualTo(Map.of(0, 5L));
            assertThat(store.loadSnapshot("Order", "manual")).isPresent();
            assertThat(wakes.tryAcquire(5, TimeUnit.SECONDS)).as("LISTEN took effect").isTrue();
        }
    }

    @Test
    void aMissingLogHeadRowIsReportedWithTheFix() {
        PgTestDatabase.execute("DELETE FROM " + SCHEMA + ".es_log_head");
        try {
            assertThatThrownBy(() -> store.append("Order", id(), 0, List.of(event("A", "{}"))))
                    .isInstanceOf(StoreException.class).hasMessageContaining(SCHEMA + ".es_log_head is missing")
                    .hasMessageContaining("INSERT INTO");
        } finally {
            PgTestDatabase.execute("INSERT INTO " + SCHEMA + ".es_log_head (id, position) SELECT true, coalesce(max(position), 0)"
                    + " FROM " + SCHEMA + ".es_events");
        }
        assertThat(store.append("Order", id(), 0, List.of(event("A", "{}"))).version()).isEqualTo(1);
    }

    @Test
    void aLogHeadLeftBehindByRowsInsertedWithoutItIsBroughtUpByTheNextAppend() {
        for (int events : new int[] {1, 501}) {          // the lone form, then the group form (over 500 events)
            long head = store.headPosition();
            String bypassed = id();
            PgTestDatabase.execute("INSERT INTO " + SCHEMA + ".es_events (position, stream_type, stream_id, version, event_id,"
                    + " event_type, event_version, recorded_at, payload) SELECT " + head + " + g, 'Imported', '" + bypassed + "', g,"
                    + " gen_random_uuid(), 'A', 1, now(), '\\x7b7d' FROM generate_series(1, 3) g");   // the log head not moved

            String id = id();
            List<NewEvent> batch = IntStream.range(0, events).mapToObj(i -> event("A", "{}")).toList();
            AppendResult r = store.append("Order", id, 0, batch);

            assertThat(r.firstPosition()).as("after the imported rows").isEqualTo(head + 4);
            assertThat(r.lastPosition()).isEqualTo(head + 3 + events);
            assertThat(stream("Order", id, 0)).hasSize(events);
            assertThat(stream("Imported", bypassed, 0)).extracting(StoredEvent::globalPosition)
                    .containsExactly(head + 1, head + 2, head + 3);
            assertThat(store.append("Order", id(), 0, List.of(event("A", "{}"))).firstPosition()).isEqualTo(head + 4 + events);
        }
    }

    @Test
    void ddlIsIdempotentAndNamesEveryTable() {
        store.migrate();
        store.migrate();
        String quoted = "\"" + SCHEMA + "\"";                  // the DDL quotes the schema (it may be a reserved word)
        assertThat(String.join("\n", store.ddl())).contains(quoted + ".es_events", quoted + ".es_snapshots",
                quoted + ".es_checkpoints", quoted + ".es_dead_letters", quoted + ".es_log_head",
                quoted + ".es_projection_leases", quoted + ".es_projection_members");
    }
}
