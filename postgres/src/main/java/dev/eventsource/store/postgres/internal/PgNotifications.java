package dev.eventsource.store.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The only class that uses the PostgreSQL driver's own API ({@link PGConnection#getNotifications(int)}):
 * JDBC has no way to wait for {@code NOTIFY}. The runtime declares the driver {@code provided}, so it is
 * not a dependency of users' applications; this class is loaded only by {@link AppendListeners}, only
 * after it checked that the driver is on the class path, and a store without it polls instead.
 *
 * <pre>{@code
 * if (PgNotifications.supports(connection)) {
 *     int received = PgNotifications.await(connection, 500);
 * }
 * }</pre>
 *
 * <p>Stateless; the connection passed in is used by one thread at a time.
 */
final class PgNotifications {

    private PgNotifications() {
    }

    /** Whether the connection (or the pooled connection it wraps) is a pgjdbc connection. */
    static boolean supports(Connection connection) throws SQLException {
        return connection.isWrapperFor(PGConnection.class);
    }

    /**
     * Waits up to {@code timeoutMillis} for notifications on channels the connection listens to.
     *
     * @return how many arrived (0 on timeout)
     * @throws SQLException if the connection broke
     */
    static int await(Connection connection, int timeoutMillis) throws SQLException {
        PGNotification[] received = connection.unwrap(PGConnection.class).getNotifications(timeoutMillis);
        return received == null ? 0 : received.length;
    }
}
