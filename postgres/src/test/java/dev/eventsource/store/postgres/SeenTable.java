package dev.eventsource.store.postgres;

import dev.eventsource.EventEnvelope;
import dev.eventsource.TransactionalProjection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A read model in the store's database for the tests: one row per handled event, written in the
 * projection's transaction; it can block in the middle of a batch, inside the transaction, to
 * simulate a crash or an outage there.
 *
 * <pre>{@code
 * SeenTable seen = SeenTable.create("es_t_engine.seen", -1);    // -1: never blocks
 * engine.registerProjection(seen, StreamOptions.named("seen"));
 * assertThat(seen.stats()).containsExactly(head, head, 1, head);
 * }</pre>
 */
final class SeenTable implements TransactionalProjection<Connection> {

    /** Opens a plain connection to the database the table lives in (the shared server, or a throwaway cluster). */
    interface Connections {
        Connection connect() throws SQLException;
    }

    private final Connections connections;
    private final String table;
    private final int blockAt;
    private final boolean blockBeforeInsert;
    final AtomicInteger handled = new AtomicInteger();
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    private SeenTable(Connections connections, String table, int blockAt, boolean blockBeforeInsert) {
        this.connections = connections;
        this.table = table;
        this.blockAt = blockAt;
        this.blockBeforeInsert = blockBeforeInsert;
    }

    /**
     * Creates {@code table} if needed; the projection blocks inside the transaction of its
     * {@code blockAt}-th event, after inserting its row (-1: never).
     */
    static SeenTable create(String table, int blockAt) {
        return create(table, blockAt, false);
    }

    /** As {@link #create(String, int)}, blocking before the insert if {@code blockBeforeInsert}. */
    static SeenTable create(String table, int blockAt, boolean blockBeforeInsert) {
        return create(PgTestDatabase::connect, table, blockAt, blockBeforeInsert);
    }

    /** As {@link #create(String, int, boolean)}, in the database {@code connections} reach. */
    static SeenTable create(Connections connections, String table, int blockAt, boolean blockBeforeInsert) {
        try (Connection c = connections.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + table
                    + " (position bigint NOT NULL, stream_id text NOT NULL, version bigint NOT NULL)");
        } catch (SQLException e) {
            throw new AssertionError("cannot create " + table + ": " + e.getMessage(), e);
        }
        return new SeenTable(connections, table, blockAt, blockBeforeInsert);
    }

    @Override
    public void handle(EventEnvelope<?> event, Connection tx) throws Exception {
        if (blockBeforeInsert) {
            blockIfDue();
        }
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
            ps.setLong(1, event.globalPosition());
            ps.setString(2, event.streamId());
            ps.setLong(3, event.version());
            ps.executeUpdate();
        }
        if (!blockBeforeInsert) {
            blockIfDue();
        }
    }

    private void blockIfDue() throws InterruptedException {
        if (handled.incrementAndGet() == blockAt) {
            blocked.countDown();
            release.await();                            // the "process" dies, or the server goes away, here
        }
    }

    @Override
    public void reset(Connection tx) throws Exception {
        try (Statement st = tx.createStatement()) {
            st.executeUpdate("DELETE FROM " + table);
        }
    }

    @Override
    public String name() {
        return "seen-table";
    }

    @Override
    public Class<Connection> transactionType() {
        return Connection.class;
    }

    /** Rows, distinct positions, lowest and highest position in the table. */
    long[] stats() throws SQLException {
        try (Connection c = connections.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*), count(DISTINCT position), coalesce(min(position), 0), coalesce(max(position), 0) FROM " + table)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }
}
