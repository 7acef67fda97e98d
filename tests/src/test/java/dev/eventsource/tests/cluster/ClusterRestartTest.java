package dev.eventsource.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.EventSourceException;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import dev.eventsource.store.postgres.ThrowawayCluster;
import dev.eventsource.tests.quickstart.CreateOrder;
import dev.eventsource.tests.quickstart.Order;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two instances (engines on separate pools) share the {@link LedgerTable} on a PostgreSQL cluster of
 * the test's own, which is stopped and started again while they write and project: both resume, and
 * every event ends up in the ledger exactly once. The shared test server is never stopped.
 */
class ClusterRestartTest {

    private static final String SCHEMA = "es_t_cluster_restart";

    @Test
    void aDatabaseRestartUnderTwoInstancesLosesAndDuplicatesNothing() throws Exception {
        try (ThrowawayCluster cluster = ThrowawayCluster.create()) {
            cluster.execute("create schema " + SCHEMA);
            try (HikariDataSource poolA = PgTestDatabase.pool(cluster.url(), "instance-a", 12, c -> c.setConnectionTimeout(1_000));
                    HikariDataSource poolB = PgTestDatabase.pool(cluster.url(), "instance-b", 12, c -> c.setConnectionTimeout(1_000));
                    PostgresStore storeA = PostgresStore.builder(poolA).schema(SCHEMA).build();
                    PostgresStore storeB = PostgresStore.builder(poolB).schema(SCHEMA).build()) {
                storeA.migrate();
                cluster.execute(new LedgerTable(SCHEMA).ddl());
                Engine a = engine(storeA, "instance-a");
                Engine b = engine(storeB, "instance-b");
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicLong refused = new AtomicLong();
                List<Thread> writers = List.of(writer(a, "a", writing, refused), writer(b, "b", writing, refused));
                writers.forEach(Thread::start);

                Thread.sleep(1_500);
                cluster.stop();   // every connection breaks, new ones are refused
                Thread.sleep(3_000);
                cluster.start();
                Thread.sleep(3_000);
                writing.set(false);
                for (Thread w : writers) {
                    w.join();
                }

                assertThat(a.awaitProjections(Duration.ofSeconds(60))).as("caught up after the restart").isTrue();
                assertThat(b.awaitProjections(Duration.ofSeconds(60))).isTrue();
                long events = storeA.headPosition();
                assertThat(refused.get()).as("commands refused while the server was down").isPositive();
                assertThat(query(cluster, "select count(*) from " + SCHEMA + ".ledger")).as("one row per event")
                        .isEqualTo(query(cluster, "select count(*) from " + storeA.eventsTable()));
                assertThat(query(cluster, "select coalesce(max(applied), 0) from " + SCHEMA + ".ledger"))
                        .as("no event applied twice").isEqualTo(1);
                assertThat(Owners.of(storeA)).as("every partition owned again after the restart")
                        .hasSize(ClusterNode.PARTITIONS);
                assertThat(events).isPositive();
                a.close();
                b.close();
            }
        }
    }

    private static Engine engine(PostgresStore store, String instance) {
        Engine engine = Engine.builder().store(store).instanceId(instance).build();
        engine.registerAggregate(Order.class);
        engine.registerProjection(new LedgerTable(SCHEMA), StreamOptions.named("ledger").partitions(ClusterNode.PARTITIONS));
        engine.start();
        return engine;
    }

    /** Places orders until told to stop; a command the store refuses (the server is down) is counted and not retried. */
    private static Thread writer(Engine engine, String name, AtomicBoolean writing, AtomicLong refused) {
        return new Thread(() -> {
            for (int n = 0; writing.get(); n++) {
                String id = name + "-order-" + n;
                try {
                    engine.execute(Order.class, id, new CreateOrder(id, "customer", 2.0));
                } catch (EventSourceException e) {
                    refused.incrementAndGet();
                    sleepQuietly(100);
                }
            }
        }, "writer-" + name);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long query(ThrowawayCluster cluster, String sql) throws Exception {
        try (Connection c = cluster.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
