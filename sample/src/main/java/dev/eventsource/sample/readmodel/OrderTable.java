package dev.eventsource.sample.readmodel;

import dev.eventsource.EventEnvelope;
import dev.eventsource.TransactionalProjection;
import dev.eventsource.sample.order.OrderCancelled;
import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.sample.order.OrderLineAdded;
import dev.eventsource.sample.order.OrderPaid;
import dev.eventsource.sample.order.OrderStatus;
import dev.eventsource.sample.order.OrderStatusChanged;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A SQL read model ({@code <schema>.order_view}, one row per order) kept by a transactional
 * projection on the PostgreSQL store: each change runs on the connection of the transaction that
 * also saves the projection's checkpoint, so every event takes effect exactly once, even if the
 * process dies between two events. Amounts are stored in cents so that sums are exact.
 *
 * <pre>{@code
 * OrderTable table = new OrderTable("eventsource_sample");
 * table.createTable(dataSource);
 * engine.registerProjection(table, StreamOptions.named("order-table").partitions(2));
 * }</pre>
 *
 * <p>Stateless apart from the table name; the engine may call it from several partition workers,
 * each with its own connection.
 */
public final class OrderTable implements TransactionalProjection<Connection> {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String table;

    /**
     * A read model in {@code schema}.
     *
     * @throws IllegalArgumentException when {@code schema} is not a plain lower-case SQL identifier
     */
    public OrderTable(String schema) {
        if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a lower-case SQL identifier: '" + schema + "'");
        }
        this.table = schema + ".order_view";
    }

    /**
     * Creates the schema and table if they do not exist yet. Safe when several processes start at
     * once (the {@code --node} mode): {@code if not exists} alone is not, so the creation holds a
     * transaction-level advisory lock named after the table.
     */
    public void createTable(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                st.execute("select pg_advisory_xact_lock(hashtext('eventsource-sample " + table + "'))");
                st.execute("create schema if not exists " + table.substring(0, table.indexOf('.')));
                st.execute("create table if not exists " + table + " ("
                        + "id text primary key, customer_id text not null, status text not null, "
                        + "amount_cents bigint not null, paid_cents bigint not null default 0, "
                        + "lines int not null default 0)");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public void handle(EventEnvelope<?> event, Connection tx) throws SQLException {
        Object data = event.data();
        if (data instanceof OrderCreated e) {
            try (PreparedStatement ps = tx.prepareStatement("insert into " + table
                    + " (id, customer_id, status, amount_cents) values (?, ?, ?, ?)")) {
                ps.setString(1, e.id());
                ps.setString(2, e.customerId());
                ps.setString(3, OrderStatus.CREATED);
                ps.setLong(4, Cents.of(e.amount()));
                ps.executeUpdate();
            }
        } else if (data instanceof OrderLineAdded e) {
            update(tx, event, "amount_cents = amount_cents + ?, lines = lines + 1", Cents.of(e.total()));
        } else if (data instanceof OrderPaid e) {
            update(tx, event, "paid_cents = paid_cents + ?", Cents.of(e.amount()));
        } else if (data instanceof OrderStatusChanged e) {
            update(tx, event, "status = ?", e.status());
        } else if (data instanceof OrderCancelled) {
            update(tx, event, "status = ?", OrderStatus.CANCELLED);
        }
    }

    /** Updates the event's order row; a missing row means an event was lost or reordered. */
    private void update(Connection tx, EventEnvelope<?> event, String set, Object value) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("update " + table + " set " + set + " where id = ?")) {
            ps.setObject(1, value);
            ps.setString(2, event.streamId());
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no row in " + table + " for order " + event.streamId() + " at "
                        + event.eventType() + " version " + event.version() + ", position " + event.globalPosition());
            }
        }
    }

    @Override
    public void reset(Connection tx) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("truncate " + table);
        }
    }

    @Override
    public String name() {
        return "order-table";
    }

    @Override
    public Class<Connection> transactionType() {
        return Connection.class;
    }

    /**
     * One order's row.
     *
     * @param status the order's status
     * @param amountCents its total, in cents
     * @param paidCents what was paid, in cents
     */
    public record Row(String status, long amountCents, long paidCents) {
    }

    /** The rows of the orders whose id starts with {@code prefix}, by id. */
    public Map<String, Row> rowsWithPrefix(DataSource dataSource, String prefix) throws SQLException {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, status, amount_cents, paid_cents from " + table + " where starts_with(id, ?) order by id")) {
            ps.setString(1, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new Row(rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return rows;
    }

    /** Number of rows in each status, in lifecycle order, zeros included. */
    public Map<String, Long> countByStatus(DataSource dataSource) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        OrderStatus.ALL.forEach(s -> counts.put(s, 0L));
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select status, count(*) from " + table + " group by status")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /** Sum of the order amounts and of the payments, in cents: {@code [amount, paid]}. */
    public long[] sumsInCents(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select coalesce(sum(amount_cents), 0), coalesce(sum(paid_cents), 0) from "
                     + table)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }
}
