package dev.eventsource.tests.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.postgres.PostgresStore;
import dev.eventsource.tests.quickstart.CreateOrder;
import dev.eventsource.tests.quickstart.Order;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One application instance for {@link ClusterProcessesTest}, run in its own JVM: an engine on
 * PostgreSQL with the {@link LedgerTable} on {@value #PARTITIONS} partitions, placing
 * {@code orders} orders (one event each, a few milliseconds apart), then running until it reads
 * {@code stop} on standard input, when it closes the engine (handing its partitions over) and exits.
 * With {@code wait} it places its orders only once it reads {@code go}.
 *
 * <p>Arguments: JDBC URL, schema, instance id, orders, lease timeout in milliseconds, optionally
 * {@code wait}.
 */
public final class ClusterNode {

    static final int PARTITIONS = 8;

    private ClusterNode() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        String instance = args[2];
        int orders = Integer.parseInt(args[3]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(PARTITIONS + 4);
        config.addDataSourceProperty("ApplicationName", instance);
        try (HikariDataSource pool = new HikariDataSource(config);
                PostgresStore store = PostgresStore.builder(pool).schema(schema).build()) {
            Engine engine = Engine.builder().store(store).instanceId(instance).leaseTimeout(lease).build();
            engine.registerAggregate(Order.class);
            engine.registerProjection(new LedgerTable(schema), StreamOptions.named("ledger").partitions(PARTITIONS));
            engine.start();
            System.out.println("started " + instance);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (args.length > 5 && args[5].equals("wait")) {
                for (String line = in.readLine(); line != null && !line.equals("go"); line = in.readLine()) {
                    // wait for the test to say go
                }
            }
            for (int n = 0; n < orders; n++) {
                String id = instance + "-order-" + n;
                engine.execute(Order.class, id, new CreateOrder(id, "customer-" + n % 7, 1.5));
                Thread.sleep(3);
            }
            System.out.println("placed " + orders);
            for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine()) {
                // wait for the test to say stop
            }
            engine.close();
            System.out.println("closed " + instance);
        }
    }
}
