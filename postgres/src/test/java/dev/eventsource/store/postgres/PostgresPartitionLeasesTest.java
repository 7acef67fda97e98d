package dev.eventsource.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.eventsource.store.Lease;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.postgres.internal.Leases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the PostgreSQL store's partition leases do beyond the conformance suite
 * ({@code PartitionLeasesConformance}, run by {@link PostgresStoreConformanceTest}): the statements
 * they cost, a former owner's transaction committing nothing to a real read-model table, the row
 * locks between a fenced transaction in flight, claims, renewals and revocations, and instances
 * racing for partitions with pauses longer than their leases. Leases run out by the database's
 * clock, so the tests that need one to run out use short leases and wait.
 */
class PostgresPartitionLeasesTest {

    private static final String SCHEMA = "es_t_leases";
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofMillis(300);
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 8);
    private static PostgresStore store;
    private static final AtomicInteger projections = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        store = db.store();
        store.migrate();
        PgTestDatabase.execute("CREATE TABLE " + SCHEMA + ".read_model (projection text, partition integer, position bigint)");
    }

    private static String newProjection() {
        return "leases-" + projections.incrementAndGet();
    }

    private static void sleepPastShort() throws InterruptedException {
        Thread.sleep(SHORT.toMillis() + 300);
    }

    /** Work that writes one read-model row on the transaction's connection. */
    private static void insertRow(Object tx, String projection, long position) throws SQLException {
        try (PreparedStatement ps = ((Connection) tx).prepareStatement("INSERT INTO " + SCHEMA + ".read_model VALUES (?, 0, ?)")) {
            ps.setString(1, projection);
            ps.setLong(2, position);
            ps.executeUpdate();
        }
    }

    private static long rows(String projection) {
        return PgTestDatabase.queryLong("SELECT count(*) FROM " + SCHEMA + ".read_model WHERE projection = '" + projection + "'");
    }

    @Test
    void everyLeaseOperationIsOneStatementAndAFencedTransactionCostsOneMore() {
        RoundTrips trips = new RoundTrips(db.dataSource());
        PostgresStore counted = db.store(trips.dataSource(), b -> b);
        counted.migrate();
        String projection = newProjection();

        trips.reset();
        counted.heartbeat(projection, 2, "a", LONG);
        assertThat(trips.calls()).as("heartbeat").containsExactly("executeQuery");
        trips.reset();
        Lease lease = counted.claim(projection, 2, "a", 2, LONG).get(0);
        assertThat(trips.calls()).as("claim, creating the rows").containsExactly("executeQuery");
        trips.reset();
        counted.saveCheckpoint(lease, 3);
        assertThat(trips.calls()).as("fenced checkpoint").containsExactly("executeQuery");
        trips.reset();
        counted.inTransaction(lease, 4, tx -> { });
        assertThat(trips.calls()).as("fence, checkpoint, commit").containsExactly("executeQuery", "executeUpdate", "commit");
        trips.reset();
        counted.markStopped(lease, "stopped");
        counted.leases(projection);
        counted.release(lease);
        counted.leave(projection, "a");
        assertThat(trips.calls()).as("markStopped, leases, release, leave")
                .containsExactly("executeUpdate", "executeQuery", "executeUpdate", "executeUpdate");
        trips.reset();
        counted.deleteCheckpoints(projection);
        assertThat(trips.calls()).as("revoke, delete, commit").containsExactly("executeUpdate", "executeUpdate", "commit");
        trips.reset();
        assertThat(counted.claim(projection, 2, "a", 0, LONG)).isEmpty();
        assertThat(trips.calls()).as("claiming none asks nothing").isEmpty();
    }

    @Test
    void aFormerOwnerResumingAfterAPauseCommitsNothing() throws Exception {
        String projection = newProjection();
        Lease a0 = store.claim(projection, 1, "web-a", 1, SHORT).get(0);
        store.inTransaction(a0, 5, tx -> insertRow(tx, projection, 5));
        sleepPastShort();                                        // web-a pauses (GC, a frozen VM) past its lease
        Lease b0 = store.claim(projection, 1, "web-b", 1, LONG).get(0);
        assertThat(b0.epoch()).isEqualTo(2);
        List<Object> ran = new ArrayList<>();

        assertThatThrownBy(() -> store.inTransaction(a0, 9, tx -> {
            ran.add(tx);
            insertRow(tx, projection, 9);
        })).isInstanceOf(LeaseLostException.class).hasMessage("projection " + projection + " partition 0: the transaction"
                + " that saves checkpoint 9 refused: instance web-a no longer holds the partition at epoch 1 (its lease ran"
                + " out and another instance took it, or a rebuild revoked it)");
        assertThatThrownBy(() -> store.saveCheckpoint(a0, 9)).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining(": checkpoint 9 refused: instance web-a");

        assertThat(ran).as("work run").isEmpty();
        assertThat(rows(projection)).isEqualTo(1);
        assertThat(store.loadCheckpoints(projection)).isEqualTo(Map.of(0, 5L));
        store.inTransaction(b0, 9, tx -> insertRow(tx, projection, 9));
        assertThat(rows(projection)).isEqualTo(2);
        assertThat(store.loadCheckpoints(projection)).isEqualTo(Map.of(0, 9L));
    }

    @Test
    void aFencedTransactionInFlightKeepsClaimsOffThePartitionWithoutBlockingThemOrItsOwnersRenewal() throws Exception {
        String projection = newProjection();
        Lease a0 = store.claim(projection, 2, "web-a", 1, SHORT).get(0);
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<?> a = thread.submit(() -> store.inTransaction(a0, 30, tx -> {
            insertRow(tx, projection, 30);
            working.countDown();
            assertThat(finish.await(20, TimeUnit.SECONDS)).as("finish").isTrue();
        }));
        try {
            assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
            sleepPastShort();                                    // web-a's lease ran out during its transaction

            long start = System.nanoTime();
            assertThat(store.claim(projection, 2, "web-b", 2, LONG)).as("skips partition 0, takes the free one")
                    .extracting(Lease::partition, Lease::epoch).containsExactly(tuple(1, 1L));
            assertThat(store.heartbeat(projection, 2, "web-a", SHORT).held()).as("the owner still renews it")
                    .extracting(Lease::partition, Lease::epoch).containsExactly(tuple(0, 1L));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("neither waited for the transaction")
                    .isLessThan(Duration.ofSeconds(2));
            sleepPastShort();
            assertThat(store.claim(projection, 2, "web-b", 2, LONG)).as("still in flight").isEmpty();
            finish.countDown();
            a.get(10, TimeUnit.SECONDS);
        } finally {
            finish.countDown();
            thread.shutdownNow();
        }
        assertThat(rows(projection)).isEqualTo(1);
        sleepPastShort();                                        // web-a does not renew again

        assertThat(store.claim(projection, 2, "web-b", 2, LONG)).extracting(Lease::partition, Lease::owner, Lease::epoch)
                .containsExactly(tuple(0, "web-b", 2L));
        assertThat(store.loadCheckpoints(projection)).as("web-a's commit").isEqualTo(Map.of(0, 30L));
    }

    @Test
    void aFencedTransactionLeftIdleByAFrozenOwnerIsEndedByTheServerSoThePartitionMovesOn() throws Exception {
        String projection = newProjection();
        Lease a0 = store.claim(projection, 1, "web-a", 1, SHORT).get(0);
        CountDownLatch working = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<?> a = thread.submit(() -> store.inTransaction(a0, 40, tx -> {
            insertRow(tx, projection, 40);
            working.countDown();
            Thread.sleep(Leases.MIN_IDLE_MILLIS + 2_000);   // frozen: the transaction sits idle, holding its lock
            insertRow(tx, projection, 41);
        }));
        try {
            assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
            sleepPastShort();
            assertThat(store.claim(projection, 1, "web-b", 1, LONG)).as("the lock still keeps the claim off").isEmpty();

            long deadline = System.nanoTime() + Duration.ofSeconds(Leases.MIN_IDLE_MILLIS / 1000 + 5).toNanos();
            List<Lease> claimed = List.of();
            while (claimed.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                claimed = store.claim(projection, 1, "web-b", 1, LONG);
            }
            assertThat(claimed).as("claimable once the server ended the idle transaction")
                    .extracting(Lease::owner, Lease::epoch).containsExactly(tuple("web-b", 2L));
            assertThatThrownBy(() -> a.get(20, TimeUnit.SECONDS)).as("the frozen owner's transaction failed")
                    .hasCauseInstanceOf(StoreUnavailableException.class);
        } finally {
            thread.shutdownNow();
        }
        assertThat(rows(projection)).as("nothing of it committed").isZero();
        assertThat(store.loadCheckpoints(projection)).isEmpty();
    }

    @ParameterizedTest(name = "reset = {0}")
    @ValueSource(booleans = {true, false})
    void aRevocationWaitsForTheFencedTransactionInFlightAndDeletesTheCheckpointItCommitted(boolean reset) throws Exception {
        String projection = newProjection();
        List<Lease> a = store.claim(projection, 2, "web-a", 2, LONG);
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> inFlight = threads.submit(() -> {
                store.inTransaction(a.get(1), 30, tx -> {           // the partition's first checkpoint: a new row
                    insertRow(tx, projection, 30);
                    working.countDown();
                    assertThat(finish.await(20, TimeUnit.SECONDS)).as("finish").isTrue();
                });
                return null;
            });
            assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> revoke = threads.submit(() -> {
                if (reset) {
                    store.resetInTransaction(projection, tx -> {
                        try (Statement st = ((Connection) tx).createStatement()) {
                            st.executeUpdate("DELETE FROM " + SCHEMA + ".read_model WHERE projection = '" + projection + "'");
                        }
                    });
                } else {
                    store.deleteCheckpoints(projection);
                }
                return null;
            });
            Thread.sleep(300);
            assertThat(revoke.isDone()).as("the revocation waits for the fenced transaction").isFalse();
            long start = System.nanoTime();
            assertThat(store.heartbeat(projection, 2, "web-a", LONG).held()).as("partition 0 is being revoked: passed over")
                    .extracting(Lease::partition).containsExactly(1);
            assertThat(store.claim(projection, 2, "web-b", 2, LONG)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("neither waited for the revocation")
                    .isLessThan(Duration.ofSeconds(2));

            finish.countDown();
            inFlight.get(10, TimeUnit.SECONDS);
            revoke.get(10, TimeUnit.SECONDS);
        } finally {
            finish.countDown();
            threads.shutdownNow();
        }

        assertThat(store.loadCheckpoints(projection)).as("the checkpoint committed while the revocation waited").isEmpty();
        assertThat(rows(projection)).isEqualTo(reset ? 0 : 1);
        assertThat(store.leases(projection)).extracting(Lease::owner, Lease::epoch).containsExactly(tuple(null, 2L), tuple(null, 2L));
        assertThatThrownBy(() -> store.saveCheckpoint(a.get(1), 31)).isInstanceOf(LeaseLostException.class);
    }

    /**
     * Four instances compete for four partitions with 200 ms leases, each taking every partition that
     * ran out, and pause now and then for longer than that, before a write or inside a fenced transaction. Each fenced transaction raises its
     * partition's row in {@code fencing} to its epoch only if no later epoch has committed there;
     * none may find a later one, and no two may be inside one partition's transaction at once.
     */
    @Test
    void instancesRacingForPartitionsWithPausesNeverCommitOutOfEpochOrderNorTwoAtOnce() throws Exception {
        String projection = newProjection();
        int partitions = 4;
        Duration timeout = Duration.ofMillis(200);
        PgTestDatabase.execute("CREATE TABLE " + SCHEMA + ".fencing (partition integer PRIMARY KEY, epoch bigint NOT NULL)",
                "INSERT INTO " + SCHEMA + ".fencing SELECT p, 0 FROM generate_series(0, " + (partitions - 1) + ") p");
        AtomicIntegerArray inside = new AtomicIntegerArray(partitions);
        AtomicLong position = new AtomicLong();
        AtomicInteger commits = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        List<String> violations = new CopyOnWriteArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        ExecutorService instances = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = "web-" + i;
                runs.add(instances.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        // greedy: every instance takes whatever ran out, so a paused owner's partition moves at once
                        List<Lease> held = new ArrayList<>(store.heartbeat(projection, partitions, id, timeout).held());
                        held.addAll(store.claim(projection, partitions, id, partitions, timeout));
                        for (Lease lease : held) {
                            if (random.nextInt(8) == 0) {
                                Thread.sleep(250);               // paused past the lease before writing
                            }
                            boolean pauseInside = random.nextInt(8) == 0;
                            try {
                                store.inTransaction(lease, position.incrementAndGet(), tx -> {
                                    if (inside.incrementAndGet(lease.partition()) > 1) {
                                        violations.add("two transactions inside partition " + lease.partition());
                                    }
                                    try {
                                        if (pauseInside) {
                                            Thread.sleep(250);   // paused past the lease inside the transaction
                                        }
                                        raise((Connection) tx, lease, violations);
                                    } finally {
                                        inside.decrementAndGet(lease.partition());
                                    }
                                });
                                commits.incrementAndGet();
                            } catch (LeaseLostException e) {
                                lost.incrementAndGet();
                            }
                        }
                    }
                    store.leave(projection, id);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
        } finally {
            instances.shutdownNow();
        }

        assertThat(violations).isEmpty();
        assertThat(commits.get()).as("commits").isGreaterThan(50);
        assertThat(lost.get()).as("writes refused after a pause: the race happened").isPositive();
        assertThat(store.leases(projection)).as("all left").extracting(Lease::owner).containsOnlyNulls();
    }

    /** Raises the partition's fencing row to the lease's epoch; finding a later epoch there is a violation. */
    private static void raise(Connection c, Lease lease, List<String> violations) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT epoch FROM " + SCHEMA + ".fencing WHERE partition = ? FOR UPDATE");
                PreparedStatement raise = c.prepareStatement("UPDATE " + SCHEMA + ".fencing SET epoch = ? WHERE partition = ?")) {
            lock.setInt(1, lease.partition());
            try (var rs = lock.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > lease.epoch()) {
                    violations.add("partition " + lease.partition() + " committed at epoch " + lease.epoch() + " after epoch "
                            + rs.getLong(1));
                }
            }
            raise.setLong(1, lease.epoch());
            raise.setInt(2, lease.partition());
            raise.executeUpdate();
        }
    }

    @Test
    void theHeartbeatsOfLiveInstancesDeleteTheMembershipsOfDeadOnes() throws Exception {
        String projection = newProjection();
        store.heartbeat(projection, 1, "dead", SHORT);
        store.heartbeat(projection, 1, "live", LONG);
        sleepPastShort();

        assertThat(store.heartbeat(projection, 1, "live", LONG).instances()).isEqualTo(1);

        assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM " + SCHEMA + ".es_projection_members WHERE projection = '"
                + projection + "'")).isEqualTo(1);
        assertThat(store.heartbeat(projection, 1, "dead", SHORT).instances()).as("back again").isEqualTo(2);
    }

    @Test
    void badArgumentsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> store.heartbeat("p", 0, "a", LONG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitions must be positive: 0 on projection p");
        assertThatThrownBy(() -> store.claim("p", 2, "", 1, LONG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instance id must not be null or empty: '' on projection p");
        assertThatThrownBy(() -> store.claim("p", 2, null, 1, LONG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instance id must not be null or empty: null on projection p");
        assertThatThrownBy(() -> store.heartbeat("p", 2, "a", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lease timeout must be at least 1 ms: PT0S on projection p");
    }
}
