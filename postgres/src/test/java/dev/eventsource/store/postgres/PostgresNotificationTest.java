package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code onAppend} wakes readers on commits by any process, survives a lost connection, and can poll. */
class PostgresNotificationTest {

    private static final String SCHEMA = "es_t_notify";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 2);

    private static PostgresStore writer() {
        return db.store();
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
        try (PostgresStore polling = PostgresStore.builder(db.dataSource()).schema(SCHEMA).notifications(false)
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

    @Test
    void theStoresThreadsComeFromItsThreadFactory() throws Exception {
        Set<Thread> made = ConcurrentHashMap.newKeySet();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r);
            made.add(t);
            return t;
        };
        try (HikariDataSource listenerPool = PgTestDatabase.pool("es_t_notify_threads", 2);
                PostgresStore listening = PostgresStore.builder(listenerPool).schema(SCHEMA).threadFactory(factory).build()) {
            Semaphore wakes = new Semaphore(0);
            listening.onAppend(wakes::release);
            Thread.sleep(200);
            wakes.drainPermits();
            writer().append("Order", "n-threads", 0, List.of(event("A", "{}")));
            awaitWake(wakes, "woken through threads the factory made");

            assertThat(made).extracting(Thread::getName).contains("eventsource-pg-listener-" + SCHEMA + "_es_events",
                    "eventsource-pg-dispatch-" + SCHEMA + "_es_events", "eventsource-pg-probe-" + SCHEMA + "_es_events");
            assertThat(made).allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
        }
    }
}
