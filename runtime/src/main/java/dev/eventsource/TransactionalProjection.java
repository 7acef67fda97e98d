package dev.eventsource;

/**
 * A projection whose read model lives in the event store's own database and is updated in the same
 * transaction that saves its checkpoint, so every event takes effect exactly once even across
 * crashes. Needs a store that implements {@link dev.eventsource.store.TransactionalCheckpoints}
 * (the PostgreSQL store, where {@code T} is {@code java.sql.Connection}).
 *
 * <pre>{@code
 * class OrderTable implements TransactionalProjection<Connection> {
 *     public void handle(EventEnvelope<?> e, Connection tx) throws SQLException {
 *         if (e.data() instanceof OrderCreated c) {
 *             try (var ps = tx.prepareStatement("insert into orders_view(id, amount) values (?, ?)")) {
 *                 ps.setString(1, c.id()); ps.setDouble(2, c.amount()); ps.executeUpdate();
 *             }
 *         }
 *     }
 *     public void reset(Connection tx) throws SQLException {
 *         try (var st = tx.createStatement()) { st.execute("truncate orders_view"); }
 *     }
 *     public String name() { return "order-table"; }
 *     public Class<Connection> transactionType() { return Connection.class; }
 * }
 * }</pre>
 *
 * @param <T> the store's transaction handle type
 */
public interface TransactionalProjection<T> {

    /** Handles one event inside the transaction {@code tx}; throwing rolls the whole batch back. */
    void handle(EventEnvelope<?> event, T tx) throws Exception;

    /** Empties the read model inside {@code tx}, before a rebuild. */
    void reset(T tx) throws Exception;

    /** Stable name, the key of this projection's checkpoints. */
    String name();

    /** The transaction handle type this projection expects; checked against the store's at registration. */
    Class<T> transactionType();
}
