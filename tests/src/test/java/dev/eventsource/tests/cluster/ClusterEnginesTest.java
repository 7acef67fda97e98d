package dev.eventsource.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import dev.eventsource.tests.quickstart.CreateOrder;
import dev.eventsource.tests.quickstart.Order;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several engines in one JVM, each on its own pool (so each is an instance), sharing the
 * {@link LedgerTable} on PostgreSQL: they settle evenly, hand over on close, and a rebuild on one of
 * them replays every event exactly once across all.
 */
class ClusterEnginesTest {

    private static final String SCHEMA = "es_t_cluster_engines";

    private final List<AutoCloseable> open = new ArrayList<>();
    /** The read model object each engine registered (what {@code rebuildProjection} takes). */
    private final Map<Engine, LedgerTable> ledgers = new HashMap<>();
    private PostgresStore admin;

    @BeforeEach
    void freshSchema() {
        HikariDataSource pool = PgTestDatabase.freshSchema(SCHEMA, 2);
        open.add(pool);
        admin = PostgresStore.builder(pool).schema(SCHEMA).build();
        open.add(admin);
        admin.migrate();
        PgTestDatabase.execute(new LedgerTable(SCHEMA).ddl());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void threeInstancesSettleEvenlyHandOverOnCloseAndARebuildReplaysOnce() throws Exception {
        Engine one = engine("one");
        Engine two = engine("two");
        Engine three = engine("three");
        awaitOwners("3 x 8 settle at 3/3/2", owners -> Owners.counts(owners).values().stream().sorted().toList()
                .equals(List.of(2, 3, 3)));
        for (int n = 0; n < 300; n++) {
            Engine via = List.of(one, two, three).get(n % 3);
            via.execute(Order.class, "order-" + n, new CreateOrder("order-" + n, "customer", 1.0));
        }
        assertThat(one.awaitProjections(Duration.ofSeconds(30))).isTrue();
        assertThat(ledger("count(*)")).isEqualTo(300);

        three.close();
        awaitOwners("close hands over: 4/4", owners -> Owners.counts(owners).equals(Map.of("one", 4, "two", 4)));

        one.rebuildProjection(ledgers.get(one));
        assertThat(one.awaitProjections(Duration.ofSeconds(30))).isTrue();
        assertThat(two.awaitProjections(Duration.ofSeconds(30))).isTrue();
        assertThat(ledger("count(*)")).as("the rebuild replayed every event").isEqualTo(300);
        assertThat(ledger("max(applied)")).as("and none twice, on either instance").isEqualTo(1);
        assertThat(ledger("count(distinct applied_by)")).as("both instances replayed").isEqualTo(2);
    }

    private Engine engine(String instance) {
        HikariDataSource pool = PgTestDatabase.pool(PgTestDatabase.URL, instance, 12, c -> { });
        open.add(pool);
        PostgresStore store = PostgresStore.builder(pool).schema(SCHEMA).build();
        open.add(store);
        Engine engine = Engine.builder().store(store).instanceId(instance).build();
        open.add(engine);
        engine.registerAggregate(Order.class);
        LedgerTable ledger = new LedgerTable(SCHEMA);
        ledgers.put(engine, ledger);
        engine.registerProjection(ledger, StreamOptions.named("ledger").partitions(ClusterNode.PARTITIONS));
        engine.start();
        return engine;
    }

    private void awaitOwners(String what, Predicate<Map<Integer, String>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<Integer, String> owners = Owners.of(admin);
        while (!(owners.size() == ClusterNode.PARTITIONS && condition.test(owners))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": owners by partition " + owners);
            }
            Thread.sleep(100);
            owners = Owners.of(admin);
        }
    }

    private static long ledger(String aggregate) {
        return PgTestDatabase.queryLong("select coalesce(" + aggregate + ", 0) from " + SCHEMA + ".ledger");
    }
}
