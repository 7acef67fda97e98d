package dev.eventsource.tests.deadletters;

import dev.eventsource.EventEnvelope;
import dev.eventsource.TransactionalProjection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * The shipments as a table, written in the checkpoint's transaction: one row per event, keyed by its
 * global position, counting how often it was applied ({@code applied > 1} is exactly-once broken).
 * While {@link #failAfterWrite} names a carrier it writes that carrier's row and then fails, so the
 * row must roll back with the transaction.
 */
final class ShipmentTable implements TransactionalProjection<Connection> {

    private final String table;
    volatile String failAfterWrite;

    ShipmentTable(String schema) {
        this.table = schema + ".shipment_rows";
    }

    /** The table's DDL. */
    String ddl() {
        return "create table if not exists " + table + " (position bigint primary key, parcel_id text not null,"
                + " carrier text not null, service text not null, applied int not null default 1)";
    }

    /** The table's qualified name, for the test's queries. */
    String table() {
        return table;
    }

    @Override
    public void handle(EventEnvelope<?> event, Connection tx) throws Exception {
        if (event.data() instanceof ParcelShipped e) {
            try (PreparedStatement ps = tx.prepareStatement("insert into " + table
                    + " (position, parcel_id, carrier, service) values (?, ?, ?, ?)"
                    + " on conflict (position) do update set applied = " + table + ".applied + 1")) {
                ps.setLong(1, event.globalPosition());
                ps.setString(2, e.parcelId());
                ps.setString(3, e.carrier());
                ps.setString(4, e.service());
                ps.executeUpdate();
            }
            if (e.carrier().equals(failAfterWrite)) {
                throw new IllegalStateException("bug after the write: cannot ship with " + e.carrier());
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
        return "shipment-table";
    }

    @Override
    public Class<Connection> transactionType() {
        return Connection.class;
    }
}
