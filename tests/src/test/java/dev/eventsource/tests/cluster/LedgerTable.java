package dev.eventsource.tests.cluster;

import dev.eventsource.EventEnvelope;
import dev.eventsource.TransactionalProjection;
import dev.eventsource.tests.quickstart.OrderCreated;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * The cluster tests' shared read model: one row per event, keyed by its global position, counting
 * how often it was applied. Written in the checkpoint's transaction, so a row with
 * {@code applied > 1} is an event two instances (or one, twice) committed: exactly-once broken.
 */
final class LedgerTable implements TransactionalProjection<Connection> {

    static final String NAME = "ledger";

    private final String table;

    LedgerTable(String schema) {
        this.table = schema + ".ledger";
    }

    /** The table's DDL. */
    String ddl() {
        return "create table if not exists " + table
                + " (position bigint primary key, order_id text not null, amount double precision not null,"
                + " applied int not null default 1, applied_by text not null)";
    }

    @Override
    public void handle(EventEnvelope<?> event, Connection tx) throws Exception {
        if (event.data() instanceof OrderCreated created) {
            try (PreparedStatement ps = tx.prepareStatement("insert into " + table
                    + " (position, order_id, amount, applied_by) values (?, ?, ?, current_setting('application_name'))"
                    + " on conflict (position) do update set applied = " + table + ".applied + 1")) {
                ps.setLong(1, event.globalPosition());
                ps.setString(2, created.id());
                ps.setDouble(3, created.amount());
                ps.executeUpdate();
            }
        }
    }

    @Override
    public void reset(Connection tx) throws Exception {
        try (Statement st = tx.createStatement()) {
            st.execute("truncate " + table);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<Connection> transactionType() {
        return Connection.class;
    }
}
