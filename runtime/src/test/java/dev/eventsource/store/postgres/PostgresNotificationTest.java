package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code onAppend} wakes readers on commits by any process, survives a lost connection, and can poll. */
class PostgresNotificationTest {

    private static final String SCHEMA = "es_t_notify";
    private static HikariDataSource writerPool;

    @BeforeAll
    static void setUp() {
        writerPool = PgTestDatabase.freshSchema(SCHEMA, 2);
    }

    @AfterAll
    static void tearDown() {
        if (writerPool != null) {
            writerPool.close();
        }
    }

    private static PostgresStore writer() {
        return PostgresStore.builder(writerPool).schema(SCHEMA).build();
    }

    private static void awaitWake(Semaphore wakes, String what) throws InterruptedException {
        assertThat(wakes.tryAcquire(5, TimeUnit.SECONDS)).as(what).isTrue();
    }

    @Test
    void listenersWakeOnCommitsOfAnotherStoreAndStopWhenUnregistered() throws Exception {
        try (HikariDataSource listenerPool = PgTestDatabase.pool("es_t_notify_listen", 2);
                PostgresStore listening = PostgresStore.builder(listenerPool).schema(SCHEMA).pollInterval(Duration.ofSeconds(30)).build()) {
            Semaphore wakes = new Semaphore(0);
            AutoCloseable handle = listening.onAppend(wakes::release);
            Thread.sleep(200);                           // let the listener thread run LISTEN
            wakes.drainPermits();

            writer().append("Order", "n1", 0, List.of(event("A", "{}")));
            awaitWake(wakes, "woken by a commit (the 30 s poll interval cannot be it)");

            handle.close();
            wakes.drainPermits();
            writer().append("Order", "n1", 1, List.of(event("A", "{}")));
            assertThat(wakes.tryAcquire(500, TimeUnit.MILLISECONDS)).as("unregistered listener").isFalse();
        }
    }

    @Test
    void theListenerReconnectsAfterItsConnectionIsKilled() throws Exception {
        try (HikariDataSource listenerPool = PgTestDatabase.pool("es_t_notify_kill", 2);
                PostgresStore listening = PostgresStore.builder(listenerPool).schema(SCHEMA).pollInterval(Duration.ofMillis(200)).build()) {
            Semaphore wakes = new Semaphore(0);
            listening.onAppend(wakes::release);
            Thread.sleep(200);

            assertThat(PgTestDatabase.killConnections("es_t_notify_kill")).isPositive();
            Thread.sleep(1_000);                         // the listener notices, reconnects, LISTENs again
            wakes.drainPermits();

            writer().append("Order", "n2-" + System.nanoTime(), 0, List.of(event("A", "{}")));
            awaitWake(wakes, "woken by a commit after reconnecting");
        }
    }

    @Test
    void withoutNotificationsListenersArePolled() throws Exception {
        try (PostgresStore polling = PostgresStore.builder(writerPool).schema(SCHEMA).notifications(false)
                .pollInterval(Duration.ofMillis(50)).build()) {
            Semaphore wakes = new Semaphore(0);
            polling.onAppend(wakes::release);
            awaitWake(wakes, "first poll");
            Thread.sleep(200);
            wakes.drainPermits();

            polling.append("Order", "n3-" + System.nanoTime(), 0, List.of(event("A", "{}")));
            awaitWake(wakes, "woken by polling the head");
        }
    }

    @Test
    void aClosedStoreRefusesNewListeners() {
        PostgresStore store = writer();
        store.close();
        store.close();                                    // idempotent
        assertThatThrownBy(() -> store.onAppend(() -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(SCHEMA + ".es_events");
    }
}
