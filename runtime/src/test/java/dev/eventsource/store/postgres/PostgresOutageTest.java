package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.StoreException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The database goes away while the store is in use (simulated without disturbing other users of the
 * server: the store's own backends are terminated with {@code pg_terminate_backend} and new
 * connections are refused), then comes back.
 */
class PostgresOutageTest {

    private static final String SCHEMA = "es_t_outage";

    /** A DataSource that refuses connections while "down", like a server that is restarting. */
    static final class Outage implements DataSource {
        final DataSource target;
        volatile boolean down;

        Outage(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down) {
                throw new SQLException("Connection to 127.0.0.1:5432 refused (simulated restart)", "08001");
            }
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return target.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return target.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return target.isWrapperFor(type);
        }
    }

    /** Retries an operation a few times: a connection that broke while idle in the pool may fail once. */
    private static <T> T eventually(Supplier<T> operation) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (StoreException e) {
                if (attempt == 3) {
                    throw e;
                }
                Thread.sleep(300);
            }
        }
    }

    @Test
    void operationsFailNamingWhatTheyWereDoingAndWorkAgainWhenTheServerIsBack() throws Exception {
        try (HikariDataSource pool = PgTestDatabase.freshSchema(SCHEMA, 3)) {
            Outage outage = new Outage(pool);
            try (PostgresStore store = PostgresStore.builder(outage).schema(SCHEMA).pollInterval(Duration.ofMillis(100)).build()) {
                store.append("Order", "o1", 0, List.of(event("A", "{}")));
                Semaphore wakes = new Semaphore(0);
                store.onAppend(wakes::release);
                Thread.sleep(200);

                outage.down = true;
                assertThat(PgTestDatabase.killConnections(SCHEMA)).isPositive();

                assertThatThrownBy(() -> store.append("Order", "o1", 1, List.of(event("B", "{}"))))
                        .isInstanceOf(StoreException.class).hasMessageContaining("append 1 event to Order/o1 at version 1")
                        .hasMessageContaining("refused");
                assertThatThrownBy(() -> store.readLog(0, 10)).isInstanceOf(StoreException.class)
                        .hasMessageContaining("global log after position 0");
                assertThatThrownBy(() -> store.readStream("Order", "o1", 0, e -> { })).isInstanceOf(StoreException.class)
                        .hasMessageContaining("stream Order/o1");
                assertThatThrownBy(() -> store.saveCheckpoint("summary", 1, 5)).isInstanceOf(StoreException.class)
                        .hasMessageContaining("checkpoint 5 of projection summary partition 1");
                assertThatThrownBy(() -> store.inTransaction("summary", 1, 5, tx -> { })).isInstanceOf(StoreException.class)
                        .hasMessageContaining("summary");
                assertThatThrownBy(store::headPosition).isInstanceOf(StoreException.class).hasMessageContaining("head position");
                Thread.sleep(700);                        // let the pool consider its idle connections stale

                outage.down = false;
                assertThat(eventually(() -> store.append("Order", "o1", 1, List.of(event("B", "{}")))).version()).isEqualTo(2);
                assertThat(store.readLog(0, 10)).hasSize(2);
                assertThat(store.headPosition()).isEqualTo(2);

                assertThat(wakes.tryAcquire(5, TimeUnit.SECONDS)).as("listener woke after reconnecting").isTrue();
                Thread.sleep(300);
                wakes.drainPermits();
                store.append("Order", "o1", 2, List.of(event("C", "{}")));
                assertThat(wakes.tryAcquire(5, TimeUnit.SECONDS)).as("listener hears commits again").isTrue();
            }
        }
    }
}
