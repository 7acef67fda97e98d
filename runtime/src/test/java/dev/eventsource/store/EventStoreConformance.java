package dev.eventsource.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store conformance suite (TCK): every {@link EventStore} implementation extends this class
 * with a thin subclass that creates the store, and must pass every test.
 *
 * <pre>{@code
 * class InMemoryStoreTest extends EventStoreConformance {
 *     @Override protected EventStore createStore() { return new InMemoryStore(); }
 * }
 * }</pre>
 *
 * <p>The tests do not assume an empty store: they use fresh stream ids and projection names and
 * compare log positions relative to {@link EventStore#headPosition()} before the test, so a store
 * backed by a shared database can reuse it between tests.
 */
public abstract class EventStoreConformance {

    /** Creates the store under test; called before every test. */
    protected abstract EventStore createStore();

    /** Releases the store after every test; closes it by default. */
    protected void releaseStore(EventStore store) throws Exception {
        store.close();
    }

    protected EventStore store;
    private String type;

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
        type = "Tck" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void releaseStoreUnderTest() throws Exception {
        releaseStore(store);
    }

    private static String newId() {
        return "s-" + UUID.randomUUID();
    }

    private static NewEvent event(String eventType, String json) {
        return new NewEvent(UUID.randomUUID(), eventType, 1, Instant.now().truncatedTo(ChronoUnit.MICROS),
                json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static List<NewEvent> events(int n) {
        List<NewEvent> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(event("Counted", "{\"n\":" + i + "}"));
        }
        return list;
    }

    private List<StoredEvent> stream(String id) {
        List<StoredEvent> out = new ArrayList<>();
        store.readStream(type, id, 0, out::add);
        return out;
    }

    private List<StoredEvent> logAfter(long position) {
        List<StoredEvent> out = new ArrayList<>();
        for (List<StoredEvent> batch; !(batch = store.readLog(position, 100)).isEmpty(); ) {
            out.addAll(batch);
            position = batch.get(batch.size() - 1).globalPosition();
        }
        return out;
    }

    // ---- append and expected version ------------------------------------------------------------

    @Test
    void appendCreatesStreamWithVersionsFromOne() {
        String id = newId();
        AppendResult r = store.append(type, id, 0, events(3));

        assertThat(r.version()).isEqualTo(3);
        assertThat(r.lastPosition() - r.firstPosition()).isGreaterThanOrEqualTo(2);
        assertThat(stream(id)).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
        assertThat(stream(id)).extracting(StoredEvent::streamType).containsOnly(type);
        assertThat(stream(id)).extracting(StoredEvent::streamId).containsOnly(id);
    }

    @Test
    void appendWithExpectedVersionContinuesTheStream() {
        String id = newId();
        AppendResult first = store.append(type, id, 0, events(2));
        AppendResult second = store.append(type, id, first.version(), events(1));

        assertThat(second.version()).isEqualTo(3);
        assertThat(second.firstPosition()).isGreaterThan(first.lastPosition());
        assertThat(stream(id)).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
    }

    @Test
    void wrongExpectedVersionThrowsConcurrencyExceptionAndAppendsNothing() {
        String id = newId();
        store.append(type, id, 0, events(2));
        long head = store.headPosition();

        assertThatThrownBy(() -> store.append(type, id, 1, events(1)))
                .isInstanceOfSatisfying(ConcurrencyException.class, e -> {
                    assertThat(e.streamType()).isEqualTo(type);
                    assertThat(e.streamId()).isEqualTo(id);
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isIn(2L, -1L);
                })
                .hasMessageContaining(type + "/" + id);
        assertThatThrownBy(() -> store.append(type, id, 0, events(1))).isInstanceOf(ConcurrencyException.class);
        assertThat(stream(id)).hasSize(2);
        assertThat(store.headPosition()).isEqualTo(head);
    }

    @Test
    void expectedVersionAboveZeroOnMissingStreamConflicts() {
        String id = newId();
        assertThatThrownBy(() -> store.append(type, id, 5, events(1))).isInstanceOf(ConcurrencyException.class);
        assertThat(stream(id)).isEmpty();
    }

    @Test
    void emptyBatchOrNegativeVersionIsRejected() {
        assertThatThrownBy(() -> store.append(type, newId(), 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.append(type, newId(), -1, events(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void sameIdInTwoStreamTypesIsTwoStreams() {
        String id = newId();
        store.append(type, id, 0, events(2));
        store.append(type + "Other", id, 0, events(1));

        assertThat(stream(id)).hasSize(2);
        List<StoredEvent> other = new ArrayList<>();
        store.readStream(type + "Other", id, 0, other::add);
        assertThat(other).hasSize(1);
    }

    @Test
    void concurrentAppendsToOneStreamLoseNothingAndNeverDuplicateAVersion() throws Exception {
        String id = newId();
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger conflicts = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; ) {
                        long[] version = {0};
                        store.readStream(type, id, 0, e -> version[0] = e.version());
                        try {
                            store.append(type, id, version[0], List.of(event("Counted", "{\"t\":" + thread + "}")));
                            i++;
                        } catch (ConcurrencyException e) {
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<StoredEvent> all = stream(id);
        assertThat(all).hasSize(threads * perThread);
        assertThat(all).extracting(StoredEvent::version)
                .containsExactlyElementsOf(() -> java.util.stream.LongStream.rangeClosed(1, threads * perThread).iterator());
        Set<Long> positions = new HashSet<>();
        all.forEach(e -> positions.add(e.globalPosition()));
        assertThat(positions).hasSize(threads * perThread);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).globalPosition()).isGreaterThan(all.get(i - 1).globalPosition());
        }
    }

    // ---- stream reads ---------------------------------------------------------------------------

    @Test
    void readStreamFromAVersionReturnsOnlyLaterEvents() {
        String id = newId();
        store.append(type, id, 0, events(5));
        List<StoredEvent> tail = new ArrayList<>();

        long last = store.readStream(type, id, 3, tail::add);

        assertThat(last).isEqualTo(5);
        assertThat(tail).extracting(StoredEvent::version).containsExactly(4L, 5L);
    }

    @Test
    void readingAnUnknownStreamOrPastTheEndPassesNothing() {
        String id = newId();
        List<StoredEvent> none = new ArrayList<>();
        assertThat(store.readStream(type, id, 0, none::add)).isZero();
        store.append(type, id, 0, events(2));
        assertThat(store.readStream(type, id, 2, none::add)).isEqualTo(2);
        assertThat(store.readStream(type, id, 7, none::add)).isEqualTo(7);
        assertThat(none).isEmpty();
    }

    @Test
    void largeStreamIsReadInOrderAndFromAnyVersion() {
        String id = newId();
        int total = 20_000;
        long version = 0;
        while (version < total) {
            version = store.append(type, id, version, events(1_000)).version();
        }
        long[] expected = {1};
        long[] count = {0};
        long last = store.readStream(type, id, 0, e -> {
            assertThat(e.version()).isEqualTo(expected[0]++);
            count[0]++;
        });
        assertThat(last).isEqualTo(total);
        assertThat(count[0]).isEqualTo(total);

        List<StoredEvent> tail = new ArrayList<>();
        store.readStream(type, id, total - 10, tail::add);
        assertThat(tail).extracting(StoredEvent::version).first().isEqualTo((long) total - 9);
        assertThat(tail).hasSize(10);
    }

    @Test
    void anExceptionFromTheSinkStopsTheReadAndPropagates() {
        String id = newId();
        store.append(type, id, 0, events(50));
        AtomicInteger seen = new AtomicInteger();
        assertThatThrownBy(() -> store.readStream(type, id, 0, e -> {
            if (seen.incrementAndGet() == 3) {
                throw new IllegalStateException("sink gave up");
            }
        })).hasMessageContaining("sink gave up");
        assertThat(seen).hasValue(3);
    }

    // ---- global log -----------------------------------------------------------------------------

    @Test
    void headPositionFollowsAppends() {
        long before = store.headPosition();
        AppendResult r = store.append(type, newId(), 0, events(3));
        assertThat(store.headPosition()).isEqualTo(r.lastPosition()).isGreaterThan(before);
        assertThat(r.firstPosition()).isGreaterThan(before);
    }

    @Test
    void globalLogReturnsEveryEventOnceInPositionOrderAcrossStreams() {
        long before = store.headPosition();
        String a = newId();
        String b = newId();
        store.append(type, a, 0, events(2));
        store.append(type, b, 0, events(3));
        store.append(type, a, 2, events(1));

        List<StoredEvent> log = logAfter(before);

        assertThat(log).hasSize(6);
        for (int i = 1; i < log.size(); i++) {
            assertThat(log.get(i).globalPosition()).isGreaterThan(log.get(i - 1).globalPosition());
        }
        assertThat(log).extracting(e -> e.streamId() + "@" + e.version())
                .containsExactly(a + "@1", a + "@2", b + "@1", b + "@2", b + "@3", a + "@3");
        assertThat(log.get(log.size() - 1).globalPosition()).isEqualTo(store.headPosition());
    }

    @Test
    void globalLogIsReadInBatchesOfAtMostTheLimit() {
        long before = store.headPosition();
        store.append(type, newId(), 0, events(25));

        List<StoredEvent> first = store.readLog(before, 10);
        List<StoredEvent> second = store.readLog(first.get(9).globalPosition(), 10);
        List<StoredEvent> third = store.readLog(second.get(9).globalPosition(), 10);

        assertThat(first).hasSize(10);
        assertThat(second).hasSize(10);
        assertThat(third).hasSize(5);
        assertThat(store.readLog(third.get(4).globalPosition(), 10)).isEmpty();
        assertThat(store.readLog(store.headPosition(), 10)).isEmpty();
        assertThatThrownBy(() -> store.readLog(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bigBatchIsAppendedAtomicallyWithIncreasingPositions() {
        String id = newId();
        long before = store.headPosition();
        AppendResult r = store.append(type, id, 0, events(5_000));

        assertThat(r.version()).isEqualTo(5_000);
        List<StoredEvent> log = logAfter(before);
        assertThat(log).hasSize(5_000);
        assertThat(log.get(0).globalPosition()).isEqualTo(r.firstPosition());
        assertThat(log.get(4_999).globalPosition()).isEqualTo(r.lastPosition());
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).version()).isEqualTo(i + 1);
        }
    }

    @Test
    void onAppendListenerRunsAfterCommitUntilClosed() throws Exception {
        // Listeners may also be called spuriously (the contract asks readers to look, not to trust a
        // count), so wait for a call that sees the append, not for the first call.
        AtomicLong seenHead = new AtomicLong(-1);
        AutoCloseable handle = store.onAppend(() -> seenHead.accumulateAndGet(store.headPosition(), Math::max));
        AppendResult r = store.append(type, newId(), 0, events(1));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seenHead.get() < r.lastPosition() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(seenHead.get()).as("head seen by the onAppend listener after the append").isGreaterThanOrEqualTo(r.lastPosition());
        handle.close();
    }

    // ---- round trips ----------------------------------------------------------------------------

    @Test
    void payloadMetadataAndEventFieldsRoundTrip() {
        String id = newId();
        UUID eventId = UUID.randomUUID();
        Instant at = Instant.parse("2024-02-29T12:34:56.123456Z");
        String json = "{\"text\":\"h\u00e9llo \u2603 \ud83d\ude00\",\"n\":-1.5e300,\"nested\":{\"a\":[1,2,null]}}";
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("correlationId", "c-42");
        metadata.put("user", "\u00c5sa");
        store.append(type, id, 0, List.of(new NewEvent(eventId, "OrderCreated", 3, at,
                json.getBytes(StandardCharsets.UTF_8), metadata)));

        StoredEvent e = stream(id).get(0);

        assertThat(e.eventId()).isEqualTo(eventId);
        assertThat(e.eventType()).isEqualTo("OrderCreated");
        assertThat(e.eventVersion()).isEqualTo(3);
        assertThat(e.timestamp()).isEqualTo(at);
        assertThat(new String(e.payload(), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(e.metadata()).isEqualTo(metadata);
        assertThat(logAfter(e.globalPosition() - 1).get(0).payload()).isEqualTo(e.payload());
    }

    @Test
    void emptyMetadataRoundTripsAsEmptyMap() {
        String id = newId();
        store.append(type, id, 0, events(1));
        assertThat(stream(id).get(0).metadata()).isEmpty();
    }

    // ---- snapshots ------------------------------------------------------------------------------

    private Snapshot snapshot(String id, long version, String state) {
        return new Snapshot(type, id, version, 42L, state.getBytes(StandardCharsets.UTF_8),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void snapshotIsSavedAndLoaded() {
        String id = newId();
        assertThat(store.loadSnapshot(type, id)).isEmpty();
        store.saveSnapshot(snapshot(id, 10, "{\"x\":1}"));

        assertSnapshot(store.loadSnapshot(type, id).orElseThrow(), id, 10, "{\"x\":1}");
    }

    /** Checks every field a snapshot was saved with by {@link #snapshot}. */
    private void assertSnapshot(Snapshot loaded, String id, long version, String state) {
        assertThat(loaded.version()).isEqualTo(version);
        assertThat(loaded.fingerprint()).isEqualTo(42L);
        assertThat(new String(loaded.state(), StandardCharsets.UTF_8)).isEqualTo(state);
        assertThat(loaded.streamType()).isEqualTo(type);
        assertThat(loaded.streamId()).isEqualTo(id);
    }

    @Test
    void newerSnapshotReplacesOlderAndOlderNeverReplacesNewer() {
        String id = newId();
        store.saveSnapshot(snapshot(id, 10, "{\"v\":10}"));
        store.saveSnapshot(snapshot(id, 20, "{\"v\":20}"));
        assertThat(store.loadSnapshot(type, id).orElseThrow().version()).isEqualTo(20);

        store.saveSnapshot(snapshot(id, 15, "{\"v\":15}"));
        assertThat(store.loadSnapshot(type, id).orElseThrow().version()).isEqualTo(20);

        store.saveSnapshot(snapshot(id, 20, "{\"v\":\"again\"}"));
        assertThat(new String(store.loadSnapshot(type, id).orElseThrow().state(), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":\"again\"}");
    }

    @Test
    void snapshotsOfDifferentStreamsAreIndependent() {
        String a = newId();
        String b = newId();
        store.saveSnapshot(snapshot(a, 3, "{}"));
        assertThat(store.loadSnapshot(type, b)).isEmpty();
        assertThat(store.loadSnapshot(type + "Other", a)).isEmpty();
    }

    // ---- loading an aggregate: snapshot, then the events after it --------------------------------

    /** Records what {@link LoadAggregate#loadAggregate} passes: "snapshot@v" then "event@v" entries. */
    private static final class Recorder implements AggregateLoad {
        final boolean acceptSnapshot;
        final List<String> seen = new ArrayList<>();
        final List<StoredEvent> events = new ArrayList<>();
        Snapshot snapshot;

        Recorder(boolean acceptSnapshot) {
            this.acceptSnapshot = acceptSnapshot;
        }

        @Override
        public boolean snapshot(Snapshot s) {
            snapshot = s;
            seen.add("snapshot@" + s.version());
            return acceptSnapshot;
        }

        @Override
        public void accept(StoredEvent e) {
            events.add(e);
            seen.add("event@" + e.version());
        }
    }

    @Test
    void loadAggregateDeliversTheSnapshotFirstThenTheEventsAfterIt() {
        String id = newId();
        List<NewEvent> appended = events(5);
        store.append(type, id, 0, appended);
        store.saveSnapshot(snapshot(id, 3, "{\"at\":3}"));
        Recorder load = new Recorder(true);

        long version = store.loadAggregate(type, id, load);

        assertThat(version).isEqualTo(5);
        assertThat(load.seen).containsExactly("snapshot@3", "event@4", "event@5");
        assertSnapshot(load.snapshot, id, 3, "{\"at\":3}");
        StoredEvent fourth = load.events.get(0);
        assertThat(fourth.eventId()).isEqualTo(appended.get(3).eventId());
        assertThat(new String(fourth.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":3}");
        assertThat(fourth.streamType()).isEqualTo(type);
        assertThat(fourth.streamId()).isEqualTo(id);
    }

    @Test
    void loadAggregateWithoutSnapshotDeliversEveryEvent() {
        String id = newId();
        store.append(type, id, 0, events(3));
        store.saveSnapshot(snapshot(newId(), 2, "{}"));                 // another stream's snapshot is not offered
        Recorder load = new Recorder(true);

        assertThat(store.loadAggregate(type, id, load)).isEqualTo(3);
        assertThat(load.seen).containsExactly("event@1", "event@2", "event@3");
    }

    @Test
    void loadAggregateAfterARefusedSnapshotDeliversEveryEventFromTheStart() {
        String id = newId();
        store.append(type, id, 0, events(4));
        store.saveSnapshot(snapshot(id, 2, "{}"));
        Recorder load = new Recorder(false);

        assertThat(store.loadAggregate(type, id, load)).isEqualTo(4);
        assertThat(load.seen).containsExactly("snapshot@2", "event@1", "event@2", "event@3", "event@4");
    }

    @Test
    void loadAggregateOffersASnapshotNewerThanTheLastEventAndNoEvent() {
        String id = newId();
        store.append(type, id, 0, events(2));
        store.saveSnapshot(snapshot(id, 5, "{}"));
        Recorder load = new Recorder(true);

        assertThat(store.loadAggregate(type, id, load)).isEqualTo(5);
        assertThat(load.seen).containsExactly("snapshot@5");
    }

    @Test
    void loadAggregateOfAnEmptyStreamPassesNothingAndReturnsZero() {
        Recorder load = new Recorder(true);
        assertThat(store.loadAggregate(type, newId(), load)).isZero();
        assertThat(load.seen).isEmpty();

        String snapshotOnly = newId();                                   // a snapshot without events is still offered
        store.saveSnapshot(snapshot(snapshotOnly, 7, "{}"));
        Recorder refused = new Recorder(false);
        assertThat(store.loadAggregate(type, snapshotOnly, refused)).isZero();
        assertThat(refused.seen).containsExactly("snapshot@7");
    }

    @Test
    void loadAggregateOfALongStreamDeliversEveryLaterEventInOrder() {
        String id = newId();
        int total = 5_500;
        long version = 0;
        while (version < total) {
            version = store.append(type, id, version, events(500)).version();
        }
        store.saveSnapshot(snapshot(id, 1_200, "{}"));
        Recorder load = new Recorder(true);

        assertThat(store.loadAggregate(type, id, load)).isEqualTo(total);
        assertThat(load.seen.get(0)).isEqualTo("snapshot@1200");
        assertThat(load.events).hasSize(total - 1_200);
        for (int i = 0; i < load.events.size(); i++) {
            assertThat(load.events.get(i).version()).isEqualTo(1_201 + i);
        }
    }

    // ---- checkpoints ----------------------------------------------------------------------------

    @Test
    void checkpointsAreSavedPerPartitionOverwrittenAndDeleted() {
        String projection = "p-" + UUID.randomUUID();
        String other = projection + "-other";
        assertThat(store.loadCheckpoints(projection)).isEmpty();

        store.saveCheckpoint(projection, 0, 10);
        store.saveCheckpoint(projection, 3, 7);
        store.saveCheckpoint(projection, 0, 15);
        store.saveCheckpoint(other, 0, 99);

        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 15L, 3, 7L));
        store.deleteCheckpoints(projection);
        assertThat(store.loadCheckpoints(projection)).isEmpty();
        assertThat(store.loadCheckpoints(other)).containsExactlyEntriesOf(Map.of(0, 99L));
        store.saveCheckpoint(projection, 1, 0);
        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(1, 0L));
    }

    @Test
    void aLowerCheckpointSavedAfterAHigherOneLeavesTheHigher() {
        String projection = "p-" + UUID.randomUUID();
        store.saveCheckpoint(projection, 0, 15);
        store.saveCheckpoint(projection, 1, 4);

        store.saveCheckpoint(projection, 0, 10);                 // a slower engine on the same projection
        store.saveCheckpoint(projection, 0, 15);
        store.saveCheckpoint(projection, 1, 0);
        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 15L, 1, 4L));

        store.saveCheckpoint(projection, 0, 16);
        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 16L, 1, 4L));
    }

    @Test
    void onlyDeletingLowersACheckpoint() {
        String projection = "p-" + UUID.randomUUID();
        store.saveCheckpoint(projection, 0, 15);
        store.saveCheckpoint(projection, 1, 20);

        store.deleteCheckpoints(projection);
        store.saveCheckpoint(projection, 0, 3);
        store.saveCheckpoint(projection, 1, 0);

        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 3L, 1, 0L));
    }

    // ---- dead letters ---------------------------------------------------------------------------

    private static DeadLetter deadLetter(String projection, long position, String error) {
        return new DeadLetter(projection, 1, position, "Order", "order-" + position, 2, "OrderCreated", 3, error,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void deadLettersAreKeptInPositionOrderAndReplacedPerPosition() {
        String projection = "p-" + UUID.randomUUID();
        assertThat(store.loadDeadLetters(projection)).isEmpty();
        store.saveDeadLetter(deadLetter(projection, 30, "boom 30"));
        store.saveDeadLetter(deadLetter(projection, 10, "boom 10"));
        store.saveDeadLetter(deadLetter(projection, 10, "boom 10 again"));
        store.saveDeadLetter(deadLetter(projection + "-other", 5, "elsewhere"));

        List<DeadLetter> letters = store.loadDeadLetters(projection);

        assertThat(letters).extracting(DeadLetter::globalPosition).containsExactly(10L, 30L);
        DeadLetter first = letters.get(0);
        assertThat(first.error()).isEqualTo("boom 10 again");
        assertThat(first.partition()).isEqualTo(1);
        assertThat(first.streamType()).isEqualTo("Order");
        assertThat(first.streamId()).isEqualTo("order-10");
        assertThat(first.version()).isEqualTo(2);
        assertThat(first.eventType()).isEqualTo("OrderCreated");
        assertThat(first.attempts()).isEqualTo(3);
    }
}
