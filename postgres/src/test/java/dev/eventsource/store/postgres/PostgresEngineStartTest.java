package dev.eventsource.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.EventSourceException;
import dev.eventsource.StreamOptions;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Engine#start()} on PostgreSQL: a start while the database is unreachable fails, and the next one starts everything. */
class PostgresEngineStartTest {

    private static final String SCHEMA = "es_t_engine_start";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 2);

    @Test
    void aStartWhileTheDatabaseIsDownFailsAndTheNextStartAfterItStartsEveryProjection() {
        AtomicLong early = new AtomicLong();
        AtomicLong late = new AtomicLong();
        try (HikariDataSource pool = PgTestDatabase.pool("es_t_engine_start_outage", 4, c -> c.setConnectionTimeout(1_000))) {
            OutageDataSource outage = new OutageDataSource(pool);
            try (PostgresStore store = PostgresStore.builder(outage).schema(SCHEMA).tablePrefix("start_").pollInterval(Duration.ofMillis(100)).build();
                    Engine engine = Engine.builder().store(store).build()) {
                engine.registerAggregate(Counter.class);
                engine.registerProjection(PostgresEngineTest.counting("start-early", early), StreamOptions.named("early").partitions(2));
                for (int i = 0; i < 5; i++) {
                    engine.execute(Counter.class, "s" + i, new Add("s" + i, 1));   // commands work before start
                }

                outage.down = true;                     // new connections are refused, like a database that is down
                assertThatThrownBy(engine::start)
                        .isInstanceOf(EventSourceException.class)
                        .hasMessageContaining("engine start failed")
                        .hasMessageContaining("refused")
                        .hasMessageContaining("call start() again");
                assertThat(engine.projectionStatus()).hasSize(2).allSatisfy(s ->
                        assertThat(s.failure()).startsWith("not started: start() failed:").contains("refused"));
                engine.registerProjection(PostgresEngineTest.counting("start-late", late), StreamOptions.named("late"));

                outage.down = false;
                engine.start();
                for (int i = 0; i < 5; i++) {
                    engine.execute(Counter.class, "t" + i, new Add("t" + i, 1));
                }

                assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
                assertThat(early).hasValue(20);         // each Add records two events (see Counter)
                assertThat(late).hasValue(20);
                assertThat(engine.projectionStatus()).hasSize(3).allSatisfy(s -> assertThat(s.failure()).isNull());
            }
        }
    }

    @Test
    void aPoolOfOneConnectionFailsStartSayingHowManyConnectionsAreNeeded() {
        AtomicLong counted = new AtomicLong();
        try (HikariDataSource pool = PgTestDatabase.pool("es_t_engine_start_one", 1, c -> c.setConnectionTimeout(500));
                PostgresStore store = PostgresStore.builder(pool).schema(SCHEMA).tablePrefix("one_").build();
                Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Counter.class);
            engine.registerProjection(PostgresEngineTest.counting("one-count", counted), StreamOptions.named("one"));

            long began = System.nanoTime();
            assertThatThrownBy(engine::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("engine start failed: cannot subscribe to the store's appends")
                    .hasMessageContaining("the DataSource handed out no second connection within 5 s while the listener"
                            + " for appends to " + SCHEMA + ".one_events holds one")
                    .hasMessageContaining("asynchronous projections need at least 2 connections (1 held for LISTEN")
                    .hasMessageContaining("configure the pool with at least 2");
            assertThat(Duration.ofNanos(System.nanoTime() - began)).as("a bounded wait, not a hang")
                    .isLessThan(Duration.ofSeconds(20));
            assertThat(engine.projectionStatus()).singleElement().satisfies(s ->
                    assertThat(s.failure()).startsWith("not started: start() failed:").contains("at least 2 connections"));
            // The listener gave its connection back: commands still work on the one connection.
            engine.execute(Counter.class, "one1", new Add("one1", 1));
            assertThat(counted).hasValue(0);
        }
    }

    @Test
    void aPoolOfTwoConnectionsServesAnAsynchronousProjection() {
        AtomicLong counted = new AtomicLong();
        try (HikariDataSource pool = PgTestDatabase.pool("es_t_engine_start_two", 2);
                PostgresStore store = PostgresStore.builder(pool).schema(SCHEMA).tablePrefix("two_").build();
                Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Counter.class);
            engine.registerProjection(PostgresEngineTest.counting("two-count", counted), StreamOptions.named("two").partitions(2));
            engine.start();
            for (int i = 0; i < 20; i++) {
                engine.execute(Counter.class, "two" + i, new Add("two" + i, 1));
            }

            assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
            assertThat(counted).hasValue(40);
        }
    }
}
