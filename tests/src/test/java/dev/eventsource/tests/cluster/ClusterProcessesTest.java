package dev.eventsource.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private final List<Node> nodes = new ArrayList<>();
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
        for (Node n : nodes) {
            n.process.destroyForcibly();
        }
        store.close();
        pool.close();
    }

    @Test
    void processesSharePartitionsTakeOverFromAKilledOneAndApplyEveryEventOnce() throws Exception {
        Node one = start("node-1", 500);
        Node two = start("node-2", 500);
        Node three = start("node-3", 500);
        long settled = await("3 instances x 8 partitions settle at most 3 each", Duration.ofSeconds(40),
                owners -> spread(owners, List.of("node-1", "node-2", "node-3"), 3));
        System.out.printf("settled 3 x 8 in %d ms%n", settled);

        long killedAt = System.nanoTime();
        two.process.destroyForcibly();   // SIGKILL: no close, no hand-over
        await("node-2's partitions taken over", Duration.ofSeconds(30),
                owners -> spread(owners, List.of("node-1", "node-3"), 4));
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("takeover after SIGKILL: %d ms%n", takeover.toMillis());
        assertThat(takeover).as("takeover after SIGKILL").isLessThanOrEqualTo(TAKEOVER_BOUND);

        Node four = start("node-4", 200);
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
        Node paused = start("node-a", 1_200);
        Node other = start("node-b", 1_200);
        await("two instances settle at 4 each", Duration.ofSeconds(40),
                owners -> spread(owners, List.of("node-a", "node-b"), 4));

        signal("STOP", paused);   // a long GC pause, a frozen VM: the process is alive but silent
        long pausedAt = System.nanoTime();
        await("node-b takes every partition while node-a is paused", Duration.ofSeconds(40),
                owners -> spread(owners, List.of("node-b"), 8));
        System.out.printf("takeover from a paused instance: %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt));
        signal("CONT", paused);

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
                + String.join("\n", nodes.stream().map(Node::tail).toList()));
    }

    private long ledgerRows() {
        return PgTestDatabase.queryLong("select count(*) from " + SCHEMA + ".ledger");
    }

    private Node start(String instance, int orders) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(), PgTestDatabase.URL, SCHEMA,
                instance, Integer.toString(orders), Long.toString(LEASE_MILLIS)).redirectErrorStream(true);
        Node node = new Node(instance, pb.start());
        nodes.add(node);
        return node;
    }

    private static void signal(String signal, Node node) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %s", signal, node.name).isZero();
    }

    /** A started {@link ClusterNode} process; its output is collected for the failure messages. */
    private static final class Node {
        final String name;
        final Process process;
        final List<String> output = new CopyOnWriteArrayList<>();

        Node(String name, Process process) {
            this.name = name;
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        output.add(line);
                    }
                } catch (IOException e) {
                    output.add("(output ended: " + e + ")");
                }
            }, "output-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        void awaitLine(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (output.stream().noneMatch(l -> l.startsWith(prefix))) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError(name + " did not print '" + prefix + "' within " + timeout + ":\n" + tail());
                }
                Thread.sleep(50);
            }
        }

        /** Says stop, waits for a clean exit. */
        void stop() throws InterruptedException {
            try {
                OutputStream in = process.getOutputStream();
                in.write("stop\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(name + " is gone:\n" + tail(), e);
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s exits after stop:%n%s", name, tail()).isTrue();
            assertThat(process.exitValue()).as("%s exit status:%n%s", name, tail()).isZero();
        }

        String tail() {
            int from = Math.max(0, output.size() - 30);
            return "--- " + name + " ---\n" + String.join("\n", output.subList(from, output.size()));
        }
    }
}
