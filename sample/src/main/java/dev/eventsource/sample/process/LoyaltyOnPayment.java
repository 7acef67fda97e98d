package dev.eventsource.sample.process;

import dev.eventsource.CommandContext;
import dev.eventsource.CommandResult;
import dev.eventsource.CommandValidationException;
import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Resettable;
import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import dev.eventsource.sample.customer.AwardPoints;
import dev.eventsource.sample.customer.Customer;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.order.OrderPaid;
import java.util.concurrent.atomic.LongAdder;

/**
 * A reaction: each payment of an order awards its customer loyalty points, with a command on the
 * other aggregate. Its commands run with {@link CommandContext#causedBy}, so their command id is
 * derived from this reaction's name and the payment event's id: when the event is delivered again
 * (a crash before the checkpoint, a rebuild), the command is a duplicate and nothing is appended
 * twice. A payment under one euro earns nothing: {@link AwardPoints} rejects it, which is an answer,
 * not a failure, so it is counted and the event counts as handled.
 *
 * <pre>{@code
 * LoyaltyOnPayment loyalty = new LoyaltyOnPayment(engine);
 * engine.registerProjection(loyalty, StreamOptions.named(LoyaltyOnPayment.NAME));
 * }</pre>
 *
 * <p>Runs on its partition's thread; the counters are read from any thread.
 */
@Projection(name = LoyaltyOnPayment.NAME)
public class LoyaltyOnPayment implements Resettable {

    /** The projection's and the reaction's name: part of every command id it derives. */
    public static final String NAME = "loyalty-on-payment";

    private final Engine engine;
    final LongAdder awarded = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder rejected = new LongAdder();

    /** A reaction that executes its commands on {@code engine}. */
    public LoyaltyOnPayment(Engine engine) {
        this.engine = engine;
    }

    @Apply
    void on(OrderPaid e, EventEnvelope<OrderPaid> envelope) {
        String customer = engine.load(Order.class, e.id()).orElseThrow().customerId();
        try {
            CommandResult<Customer> r = engine.executeResult(Customer.class, customer, new AwardPoints(e.id(), e.amount()),
                    CommandContext.causedBy(envelope, NAME));
            (r.duplicate() ? duplicates : awarded).increment();
        } catch (CommandValidationException noPoints) {
            rejected.increment();
        }
    }

    /** Awards this instance appended. */
    public long awarded() {
        return awarded.sum();
    }

    /** Payments whose award was stored before (redelivered events): nothing appended. */
    public long duplicates() {
        return duplicates.sum();
    }

    /** Payments that earned nothing (under one euro). */
    public long rejected() {
        return rejected.sum();
    }

    @Override
    public void reset() {
        awarded.reset();
        duplicates.reset();
        rejected.reset();
    }
}
