package dev.eventsource.sample.readmodel;

import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import dev.eventsource.sample.order.OrderCancelled;
import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.sample.order.OrderStatus;
import dev.eventsource.sample.order.OrderStatusChanged;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status of every order, kept by an inline projection: registered without stream options, it
 * runs inside {@code execute} before the call returns, so a client that just changed an order reads
 * its own write here. Written with the plain {@link Projection} interface rather than
 * {@code @Projection}, to show both forms. Commands run on many threads at once, so the map is
 * concurrent.
 *
 * <pre>{@code
 * OrderStatusBoard board = new OrderStatusBoard();
 * engine.registerProjection(board);
 * engine.execute(Order.class, "order_1", new ChangeStatus(OrderStatus.SHIPPED));
 * board.statusOf("order_1");   // Optional["shipped"], already
 * }</pre>
 */
public final class OrderStatusBoard implements Projection {

    private final ConcurrentHashMap<String, String> statusById = new ConcurrentHashMap<>();

    @Override
    public void handle(EventEnvelope<?> event) {
        Object data = event.data();
        if (data instanceof OrderCreated e) {
            statusById.put(e.id(), OrderStatus.CREATED);
        } else if (data instanceof OrderStatusChanged e) {
            statusById.put(e.id(), e.status());
        } else if (data instanceof OrderCancelled e) {
            statusById.put(e.id(), OrderStatus.CANCELLED);
        }
    }

    @Override
    public void reset() {
        statusById.clear();
    }

    @Override
    public String name() {
        return "order-status-board";
    }

    /** The order's status as of the last command that returned, if the order exists. */
    public Optional<String> statusOf(String orderId) {
        return Optional.ofNullable(statusById.get(orderId));
    }

    /** Number of orders in each status, in lifecycle order, zeros included. */
    public Map<String, Long> countByStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        OrderStatus.ALL.forEach(s -> counts.put(s, 0L));
        statusById.values().forEach(s -> counts.merge(s, 1L, Long::sum));
        return counts;
    }
}
