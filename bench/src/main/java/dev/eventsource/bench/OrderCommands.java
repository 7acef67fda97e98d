package dev.eventsource.bench;

/**
 * The two order commands every framework under test runs, so one benchmark drives them all:
 * create an order, then add lines to it. Implementations are single-threaded.
 *
 * <pre>{@code
 * try (OrderCommands orders = new EngineOrders()) {
 *     orders.create("order_1", "c_1", 99.99);
 *     orders.addLine("order_1", "sku-1", 1, 2.5);
 * }
 * }</pre>
 */
public interface OrderCommands extends AutoCloseable {

    /** Creates order {@code orderId}; throws if the framework rejects it. */
    void create(String orderId, String customerId, double amount);

    /** Adds a line to an existing order; throws if the framework rejects it. */
    void addLine(String orderId, String sku, int quantity, double unitPrice);

    /** Lines on the order as the framework loads it, to check that no command was lost. */
    int lineCount(String orderId);

    @Override
    void close();
}
