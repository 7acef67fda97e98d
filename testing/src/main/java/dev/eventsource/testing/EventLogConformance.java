package dev.eventsource.testing;

import static dev.eventsource.testing.Fixtures.event;
import static dev.eventsource.testing.Fixtures.events;
import static dev.eventsource.testing.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.store.AppendEvents;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadLog;
import dev.eventsource.store.ReadStream;
import dev.eventsource.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
import org.junit.jupiter.api.Test;

/**
 * Conformance of the event log roles, {@link AppendEvents}, {@link ReadStream} and {@link ReadLog}
 * (checked together: an append is seen through the reads): appends and expected versions,
 * conflicts (8 threads on one stream), stream reads, the global log in batches, {@code headPosition},
 * {@code onAppend}, and payload and metadata round trips.
 *
 * <pre>{@code
 * class InMemoryLogTest extends EventLogConformance<InMemoryStore> {
 *     @Override protected InMemoryStore createStore() { return new InMemoryStore(); }
 * }
 * }</pre>
 *
 * @param <S> the type of the store under test
 */
public abstract class EventLogConformance<S extends AppendEvents & ReadStream & ReadLog> extends RoleConformance<S> {

    private final String type = Fixtures.newType();

    private List<StoredEvent> stream(String id) {
        return Fixtures.stream(store, type, id);
    }

    private List<StoredEvent> logAfter(long position) {
        return Fixtures.logAfter(store, position);
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
}
