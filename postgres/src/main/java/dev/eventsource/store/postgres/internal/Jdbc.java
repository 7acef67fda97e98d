package dev.eventsource.store.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Borrowing connections the way the store needs them: in auto-commit mode whatever the pool's
 * default, so single statements (checkpoint upserts, {@code LISTEN}) take effect at once; code that
 * needs a transaction turns auto-commit off itself and back on before returning the connection.
 *
 * <pre>{@code
 * try (Connection c = Jdbc.connect(dataSource)) { ... }
 * }</pre>
 *
 * <p>Stateless.
 */
public final class Jdbc {

    /** Seconds {@link #broken} waits for the server to answer. */
    private static final int VALIDATION_SECONDS = 2;

    private Jdbc() {
    }

    /** A connection from {@code dataSource} in auto-commit mode (a pool configured with auto-commit off included). */
    public static Connection connect(DataSource dataSource) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Whether {@code c} no longer works (the server ended it, the network failed): asked after work
     * on it failed, to tell a broken connection (retry elsewhere) from the work's own failure. A
     * working connection costs one round trip.
     */
    public static boolean broken(Connection c) {
        try {
            return !c.isValid(VALIDATION_SECONDS);
        } catch (SQLException e) {
            return true;
        }
    }
}
