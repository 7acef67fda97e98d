package dev.eventsource.bench;

import dev.eventsource.Engine;
import dev.eventsource.sample.order.AddOrderLine;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import dev.eventsource.store.InMemoryStore;

/**
 * eventsource-java under test: the sample's {@link Order} and its commands on an {@link Engine} over
 * an {@link InMemoryStore}, with the engine's defaults (aggregate cache of 10,000 per type, a snapshot
 * every 100 events), no projection: the same work as the Axon baseline.
 *
 * <pre>{@code
 * try (OrderCommands ours = new EngineOrders()) {
 *     ours.create("order_1", "c_1", 99.99);
 * }
 * }</pre>
 */
public final class EngineOrders implements OrderCommands {

    private final InMemoryStore store = new InMemoryStore();
    private final Engine engine = new Engine(store);

    /** A started engine over an empty in-memory store. */
    public EngineOrders() {
        engine.registerAggregate(Order.class);
        engine.start();
    }

    @Override
    public void create(String orderId, String customerId, double amount) {
        engine.execute(Order.class, orderId, new CreateOrder(orderId, customerId, amount));
    }

    @Override
    public void addLine(String orderId, String sku, int quantity, double unitPrice) {
        engine.execute(Order.class, orderId, new AddOrderLine(sku, quantity, unitPrice));
    }

    @Override
    public int lineCount(String orderId) {
        return engine.load(Order.class, orderId).orElseThrow().lineCount();
    }

    @Override
    public void close() {
        engine.close();
        store.close();
    }
}
