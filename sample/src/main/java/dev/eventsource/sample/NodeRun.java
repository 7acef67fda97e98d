package dev.eventsource.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.StreamOptions;
import dev.eventsource.sample.order.AddOrderLine;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.readmodel.Cents;
import dev.eventsource.sample.readmodel.OrderTable;
import dev.eventsource.store.postgres.PostgresStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code --node NAME}: one instance of a cluster of sample processes on one PostgreSQL schema. Each
 * node places its own orders (ids starting with its name) while every node shares the SQL read
 * model {@link OrderTable}: its {@value #PARTITIONS} partitions are spread over the live nodes, and a
 * node that joins, leaves or dies changes who runs which. Every two seconds the node prints who owns
 * which partition; at the end it waits until the read model has caught up with every event of the
 * cluster, checks that the rows of its own orders equal its aggregates, prints the cluster's
 * projection status, and closes (handing its partitions to the nodes still running).
 *
 * <pre>{@code
 * java -jar sample/target/eventsource-sample.jar --postgres "$URL" --node a &
 * java -jar sample/target/eventsource-sample.jar --postgres "$URL" --node b
 * }</pre>
 *
 * <p>Unlike the single-process run, the schema is created if missing and never dropped, so the
 * nodes can start in any order; start from an empty schema with a new {@code --schema}.
 */
final class NodeRun {

    static final int PARTITIONS = 4;
    /** What {@code --node} accepts: it names the instance and prefixes the node's order ids. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    private NodeRun() {
    }

    /** Runs the node; returns the process exit status (0: every check held). */
    static int run(String jdbcUrl, String schema, String node, int orders, PrintStream out) throws Exception {
        OrderTable table = new OrderTable(schema);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("eventsource-sample-" + node);
        // Commands, the 4 partition workers, the notification listener, the lease heartbeat.
        config.setMaximumPoolSize(PARTITIONS + 6);
        try (HikariDataSource pool = new HikariDataSource(config);
                PostgresStore store = PostgresStore.builder(pool).schema(schema).build()) {
            table.createTable(pool);
            store.migrate();
            ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
            try (Engine engine = Engine.builder().store(store).instanceId(node).build()) {
                engine.registerAggregate(Order.class);
                engine.registerProjection(table, StreamOptions.named("order-table").partitions(PARTITIONS));
                engine.start();
                out.printf(Locale.ROOT, "node %s: running on %s, schema %s; placing %d orders%n", node, jdbcUrl, schema,
                        orders);
                printer.scheduleAtFixedRate(() -> out.println("node " + node + ": " + owners(engine.projectionStatus())),
                        0, 2, TimeUnit.SECONDS);
                for (int i = 0; i < orders; i++) {
                    String id = node + "-order-" + i;
                    engine.execute(Order.class, id, new CreateOrder(id, node + "-customer-" + i % 20, 10 + i % 7));
                    engine.execute(Order.class, id, new AddOrderLine("sku-" + i % 5, 1 + i % 3, 2.5));
                    Thread.sleep(2);   // so that two nodes started a moment apart overlap
                }
                boolean caughtUp = engine.awaitProjections(CATCH_UP);
                printer.shutdownNow();
                int mismatches = check(engine, table, pool, node, orders, out);
                out.println("node " + node + ": cluster-wide projection status");
                for (ProjectionStatus s : engine.projectionStatus()) {
                    out.printf(Locale.ROOT, "  %-12s p%d  owner %-10s lease until %-24s checkpoint %6d  lag %5d%s%n",
                            s.projection(), s.partition(), s.owner(), s.leaseExpiresAt(), s.checkpoint(), s.lag(),
                            s.stopped() ? "  STOPPED: " + s.failure() : "");
                }
                if (!caughtUp) {
                    out.println("node " + node + ": the read model did not catch up within " + CATCH_UP);
                    return 1;
                }
                out.println(mismatches == 0 ? "node " + node + ": all " + orders + " orders match the read model"
                        : "node " + node + ": " + mismatches + " orders differ from the read model");
                return mismatches == 0 ? 0 : 1;
            } finally {
                printer.shutdownNow();
            }
        }
    }

    /** Compares the rows of this node's orders with the orders themselves; prints and counts the differences. */
    private static int check(Engine engine, OrderTable table, HikariDataSource pool, String node, int orders,
            PrintStream out) throws Exception {
        Map<String, OrderTable.Row> rows = table.rowsWithPrefix(pool, node + "-order-");
        int mismatches = 0;
        for (int i = 0; i < orders; i++) {
            String id = node + "-order-" + i;
            Order order = engine.load(Order.class, id).orElseThrow();
            OrderTable.Row expected = new OrderTable.Row(order.status(), Cents.of(order.amount()), Cents.of(order.paid()));
            if (!expected.equals(rows.get(id))) {
                mismatches++;
                if (mismatches <= 5) {
                    out.println("node " + node + ": " + id + " is " + expected + " but its row is " + rows.get(id));
                }
            }
        }
        return mismatches;
    }

    /** {@code order-table: p0 a, p1 a, p2 b, p3 b} from a status. */
    private static String owners(List<ProjectionStatus> statuses) {
        StringBuilder line = new StringBuilder();
        for (ProjectionStatus s : statuses) {
            if (!s.inline()) {
                line.append(line.length() == 0 ? s.projection() + ": " : ", ").append('p').append(s.partition())
                        .append(' ').append(s.owner() == null ? "-" : s.owner()).append(" (lag ").append(s.lag()).append(')');
            }
        }
        return line.toString();
    }
}
