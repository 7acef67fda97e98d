package dev.eventsource.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several application instances as separate JVM processes ({@link ClusterNode}) on one PostgreSQL
 * schema, sharing the {@link LedgerTable} projection's {@value ClusterNode#PARTITIONS} partitions
 * with the default lease timeout (10 s). The partition owners are read from the store's lease rows.
 * The times the tests measure are printed, and docs/scaling.md quotes them.
 */
class ClusterProcessesTest {

    private static final String SCHEMA = "es_t_cluster";
    private static final long LEASE_MILLIS = 10_000;
    /** The bound the issue sets for losing a dead instance's partitions, with the default lease. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);

    private final List<NodeProcess> nodes = new ArrayList<>();
    private HikariDataSource pool;
    private PostgresStore store;

    @BeforeEach
    void freshSchema() {
        pool = PgTestDatabase.freshSchema(SCHEMA, 2);
        store = PostgresStore.builder(pool).schema(SCHEMA).build();
        store.migrate();
        PgTestDatabase.execute(new LedgerTable(SCHEMA).ddl());
    }

    @AfterEach
    void stopEverything() {
        for (NodeProcess n : nodes) {
            n.process().destroyForcibly();
        }
        store.close();
        pool.close();
    }

    @Test
    void processesSharePartitionsTakeOverFromAKilledOneAndApplyEveryEventOnce() throws Exception {
        // The first three place their orders only once they share the partitions, so each applies some of them
        // (otherwise the first to start could apply them all before the others get a partition).
        NodeProcess one = start("node-1", 500, "wait");
        NodeProcess two = start("node-2", 500, "wait");
        NodeProcess three = start("node-3", 500, "wait");
        long settled = await("3 instances x 8 partitions settle at most 3 each", Duration.ofSeconds(40),
                owners -> spread(owners, List.of("node-1", "node-2", "node-3"), 3));
        System.out.printf("settled 3 x 8 in %d ms%n", settled);
        for (NodeProcess node : List.of(one, two, three)) {
            node.send("go");
        }
        await("each of the three applied events", Duration.ofSeconds(30), owners -> PgTestDatabase.queryLong(
                "select count(distinct applied_by) from " + SCHEMA + ".ledger") == 3);

        long killedAt = System.nanoTime();
        two.process().destroyForcibly();   // SIGKILL: no close, no hand-over
        await("node-2's partitions taken over", Duration.ofSeconds(30),
                owners -> spread(owners, List.of("node-1", "node-3"), 4));
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("takeover after SIGKILL: %d ms%n", takeover.toMillis());
        assertThat(takeover).as("takeover after SIGKILL").isLessThanOrEqualTo(TAKEOVER_BOUND);

        NodeProcess four = start("node-4", 200);
        long joined = await("a joining instance takes its share", Duration.ofSeconds(30),
                owners -> spread(owners, List.of("node-1", "node-3", "node-4"), 3));
        System.out.printf("rebalance on join: %d ms%n", joined);

        one.awaitLine("placed", Duration.ofSeconds(60));
        long closedAt = System.nanoTime();
        one.stop();
        await("node-1's partitions handed over on close", Duration.ofSeconds(30),
                owners -> spread(owners, List.of("node-3", "node-4"), 4));
        System.out.printf("hand-over on close: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt));

        three.awaitLine("placed", Duration.ofSeconds(60));
        four.awaitLine("placed", Duration.ofSeconds(60));
        long events = PgTestDatabase.queryLong("select count(*) from " + store.eventsTable());
        await("the ledger caught up", Duration.ofSeconds(30), owners -> ledgerRows() == events);
        three.stop();
        four.stop();

        assertThat(ledgerRows()).as("one ledger row per event").isEqualTo(events);
        assertThat(PgTestDatabase.queryLong("select coalesce(max(applied), 0) from " + SCHEMA + ".ledger"))
                .as("no event applied twice").isEqualTo(1);
        assertThat(PgTestDatabase.queryLong("select count(distinct applied_by) from " + SCHEMA + ".ledger"))
                .as("the work was shared").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aPausedInstanceLosesItsPartitionsAndCommitsNothingAfterItResumes() throws Exception {
        NodeProcess paused = start("node-a", 1_200);
        NodeProcess other = start("node-b", 1_200);
        await("two instances settle at 4 each", Duration.ofSeconds(40),
                owners -> spread(owners, List.of("node-a", "node-b"), 4));

        paused.signal("STOP");   // a long GC pause, a frozen VM: the process is alive but silent
        long pausedAt = System.nanoTime();
        await("node-b takes every partition while node-a is paused", Duration.ofSeconds(40),
                owners -> spread(owners, List.of("node-b"), 8));
        System.out.printf("takeover from a paused instance: %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt));
        paused.signal("CONT");

        await("node-a takes its share back", Duration.ofSeconds(40),
                owners -> spread(owners, List.of("node-a", "node-b"), 4));
        paused.awaitLine("placed", Duration.ofSeconds(90));
        other.awaitLine("placed", Duration.ofSeconds(90));
        long events = PgTestDatabase.queryLong("select count(*) from " + store.eventsTable());
        await("the ledger caught up", Duration.ofSeconds(30), owners -> ledgerRows() == events);
        paused.stop();
        other.stop();

        assertThat(ledgerRows()).isEqualTo(events);
        assertThat(PgTestDatabase.queryLong("select coalesce(max(applied), 0) from " + SCHEMA + ".ledger"))
                .as("the resumed instance committed nothing it no longer owned").isEqualTo(1);
    }

    /** Whether every partition is owned by one of {@code live}, each holding at most {@code most}. */
    private static boolean spread(Map<Integer, String> owners, List<String> live, int most) {
        if (owners.size() != ClusterNode.PARTITIONS || !live.containsAll(owners.values())) {
            return false;
        }
        Map<String, Integer> held = Owners.counts(owners);
        return held.size() == live.size() && held.values().stream().allMatch(h -> h <= most);
    }

    /** Polls the lease rows until {@code condition} holds; returns the milliseconds it took. */
    private long await(String what, Duration timeout, Predicate<Map<Integer, String>> condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Map<Integer, String> owners = Map.of();
        while (System.nanoTime() < deadline) {
            owners = Owners.of(store);
            if (condition.test(owners)) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": not within " + timeout + "; owners by partition " + owners + "; nodes:\n"
                + String.join("\n", nodes.stream().map(NodeProcess::tail).toList()));
    }

    private long ledgerRows() {
        return PgTestDatabase.queryLong("select count(*) from " + SCHEMA + ".ledger");
    }

    /** Starts a {@link ClusterNode}; {@code wait} makes it wait for "go" before it places its orders. */
    private NodeProcess start(String instance, int orders, String... wait) throws IOException {
        List<String> args = new ArrayList<>(List.of(PgTestDatabase.URL, SCHEMA, instance, Integer.toString(orders),
                Long.toString(LEASE_MILLIS)));
        args.addAll(List.of(wait));
        NodeProcess node = NodeProcess.start(instance, ClusterNode.class, args.toArray(String[]::new));
        nodes.add(node);
        return node;
    }
}
