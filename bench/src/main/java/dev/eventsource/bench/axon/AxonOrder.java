package dev.eventsource.bench.axon;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.sample.order.OrderLineAdded;
import dev.eventsource.sample.order.OrderStatus;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The baseline: the sample's order written the way an Axon Framework 4 user writes an event-sourced
 * aggregate (annotated command handlers that validate and {@code apply}, annotated event sourcing
 * handlers that change state). It emits the sample's own event records, so both frameworks carry
 * identical payloads, and applies the same validation rules as the sample's {@code CreateOrder} and
 * {@code AddOrderLine}.
 *
 * <pre>{@code
 * gateway.sendAndWait(new AxonOrder.Create("order_1", "c_1", 99.99));
 * }</pre>
 */
public class AxonOrder {

    @AggregateIdentifier
    private String id;
    private String status;
    private double amount;
    private int lineCount;

    /** For Axon's aggregate factory, which instantiates the class before replaying its events. */
    protected AxonOrder() {
    }

    /** Handles {@link Create}: the Axon idiom for a creation command is a constructor. */
    @CommandHandler
    public AxonOrder(Create command) {
        if (!(command.amount() > 0)) {
            throw new IllegalArgumentException("amount must be positive, was " + command.amount());
        }
        apply(new OrderCreated(command.orderId(), command.customerId(), command.amount()));
    }

    /** Handles {@link AddLine}. */
    @CommandHandler
    public void handle(AddLine command) {
        if (!OrderStatus.CREATED.equals(status)) {
            throw new IllegalStateException("cannot add lines to a " + status + " order");
        }
        if (command.quantity() <= 0 || command.unitPrice() < 0) {
            throw new IllegalArgumentException("bad line " + command);
        }
        apply(new OrderLineAdded(id, command.sku(), command.quantity(), command.unitPrice()));
    }

    @EventSourcingHandler
    void on(OrderCreated e) {
        id = e.id();
        amount = e.amount();
        status = OrderStatus.CREATED;
    }

    @EventSourcingHandler
    void on(OrderLineAdded e) {
        lineCount++;
        amount += e.total();
    }

    /** Lines added so far; lets the benchmark check that every command took effect. */
    public int lineCount() {
        return lineCount;
    }

    /**
     * Axon's form of the sample's {@code CreateOrder}: the target id is an annotated field.
     *
     * @param orderId the new order's id
     * @param customerId who places it
     * @param amount initial amount
     */
    public record Create(@TargetAggregateIdentifier String orderId, String customerId, double amount)
            implements Targeted {
    }

    /**
     * Axon's form of the sample's {@code AddOrderLine}.
     *
     * @param orderId the order to change
     * @param sku product
     * @param quantity how many
     * @param unitPrice price of one
     */
    public record AddLine(@TargetAggregateIdentifier String orderId, String sku, int quantity, double unitPrice)
            implements Targeted {
    }

    /**
     * A command that names its order: lets {@link AxonOrders} resolve the target with a plain call
     * instead of Axon's default annotation scan, which reflects on the command at every dispatch.
     */
    public interface Targeted {

        /** The order the command is for. */
        String orderId();
    }
}
