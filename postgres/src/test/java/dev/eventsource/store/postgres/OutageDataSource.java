package dev.eventsource.store.postgres;

import dev.eventsource.EventSourceException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * A DataSource that refuses connections while {@link #down}, like a PostgreSQL server that is
 * restarting; together with {@link PgTestDatabase#killConnections} it simulates an outage without
 * disturbing anyone else using the server. It can also lose the reply to a commit
 * ({@link #loseNextCommitReply}): the transaction commits, the caller gets a connection error.
 *
 * <pre>{@code
 * OutageDataSource outage = new OutageDataSource(pool);
 * outage.down = true; PgTestDatabase.killConnections("my-app"); ... outage.down = false;
 * }</pre>
 */
public final class OutageDataSource implements DataSource {

    private final DataSource target;


    /** While true, every new connection is refused with SQLState 08001. */
    public volatile boolean down;

    /**
     * When set, the next {@code commit()} on a connection of this source commits, then closes the
     * connection and throws SQLState 08006, as when the network fails just after the server
     * committed; the flag is then cleared.
     */
    public final AtomicBoolean loseNextCommitReply = new AtomicBoolean();

    /** Passes connections of {@code target} through while up. */
    public OutageDataSource(DataSource target) {
        this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down) {
            throw new SQLException("Connection to 127.0.0.1:5432 refused (simulated restart)", "08001");
        }
        Connection connection = target.getConnection();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit") && loseNextCommitReply.compareAndSet(true, false)) {
                        connection.commit();
                        ((Connection) connection.unwrap(PGConnection.class)).close();
                        throw new SQLException("An I/O error occurred while sending to the backend (simulated: the reply"
                                + " to a commit was lost)", "08006");
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
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

    /** Retries an operation a few times: a connection that broke while idle in a pool may fail once. */
    public static <T> T eventually(Supplier<T> operation) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (EventSourceException e) {
                if (attempt == 3) {
                    throw e;
                }
                Thread.sleep(300);
            }
        }
    }
}
