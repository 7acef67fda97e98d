package dev.eventsource.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import dev.eventsource.StreamOptions;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two engines running one projection name on one PostgreSQL schema: the slower one must never
 * move the shared checkpoint back (and since the two are two instances sharing the partition
 * through its lease, they handle each event once between them). A trigger records every update that would lower a checkpoint,
 * so the test sees each one, not just those a sampler happens to catch.
 */
class PostgresMonotonicCheckpointTest {

    private static final String SCHEMA = "es_t_monotonic";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 2);

    /** A projection named {@code name} that counts the events it is handed, pausing {@code pauseNanos} on each. */
    private static Projection counting(String name, AtomicLong counted, long pauseNanos) {
        return new Projection() {
            @Override
            public void handle(EventEnvelope<?> event) {
                counted.incrementAndGet();
                if (pauseNanos > 0) {
                    LockSupport.parkNanos(pauseNanos);
                }
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    private static Engine engine(PostgresStore store, Projection projection) {
        Engine engine = Engine.builder().store(store).build();
        engine.registerAggregate(Counter.class);
        engine.registerProjection(projection, StreamOptions.named("shared").batchSize(16).bufferSize(16));
        engine.start();
        return engine;
    }

    @Test
    void aSlowerEngineOnTheSameProjectionNeverMovesTheCheckpointBack() {
        AtomicLong fast = new AtomicLong();
        AtomicLong slow = new AtomicLong();
        try (HikariDataSource poolA = PgTestDatabase.pool("es_t_monotonic_a", 4);
                HikariDataSource poolB = PgTestDatabase.pool("es_t_monotonic_b", 4);
                PostgresStore storeA = PostgresStore.builder(poolA).schema(SCHEMA).build();
                PostgresStore storeB = PostgresStore.builder(poolB).schema(SCHEMA).build()) {
            storeA.migrate();
            String checkpoints = SCHEMA + ".es_checkpoints";
            PgTestDatabase.execute(
                    "CREATE TABLE " + SCHEMA + ".lowered (old_position bigint NOT NULL, new_position bigint NOT NULL)",
                    "CREATE FUNCTION " + SCHEMA + ".record_lowered() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                            + " INSERT INTO " + SCHEMA + ".lowered VALUES (OLD.position, NEW.position); RETURN NEW; END $$",
                    "CREATE TRIGGER lowered BEFORE UPDATE ON " + checkpoints + " FOR EACH ROW"
                            + " WHEN (NEW.position < OLD.position) EXECUTE FUNCTION " + SCHEMA + ".record_lowered()");
            long handled;
            try (Engine a = engine(storeA, counting("shared", fast, 0));
                    Engine b = engine(storeB, counting("shared", slow, 1_000_000))) {
                for (int i = 0; i < 150; i++) {
                    a.execute(Counter.class, "m" + i, new Add("m" + i, 1));
                }
                assertThat(a.awaitProjections(Duration.ofSeconds(30))).isTrue();
                assertThat(b.awaitProjections(Duration.ofSeconds(60))).isTrue();
                handled = storeA.headPosition();
            }

            // The two engines are two instances: the projection's one partition runs on one of them at
            // a time (partition leases), so together they handle every event once.
            assertThat(fast.get() + slow.get()).as("events handled by the two instances together").isEqualTo(300);
            assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM " + SCHEMA + ".lowered"))
                    .as("updates that lowered the shared checkpoint").isZero();
            assertThat(storeA.loadCheckpoints("shared")).containsExactlyEntriesOf(Map.of(0, handled));
        }
    }
}
