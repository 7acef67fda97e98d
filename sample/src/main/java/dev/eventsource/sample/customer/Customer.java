package dev.eventsource.sample.customer;

import dev.eventsource.AggregateRoot;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;

/**
 * A customer with a credit limit: the sample's second aggregate. Orders reserve credit before they
 * are placed or grow, and release it when paid or cancelled, so a customer can never have more
 * unpaid orders than the limit allows. It snapshots more often than the engine default because a
 * busy customer's stream grows with every order.
 *
 * <pre>{@code
 * engine.execute(Customer.class, "c_1", new RegisterCustomer("c_1", "Ada", 5_000));
 * engine.execute(Customer.class, "c_1", new ReserveCredit("order_1", 99.99));
 * }</pre>
 */
@Aggregate(snapshotEvery = 50)
public class Customer extends AggregateRoot {

    String id;
    String name;
    double creditLimit;
    double reserved;
    long points;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(CustomerRegistered e) {
        id = e.id();
        name = e.name();
        creditLimit = e.creditLimitCents() / 100.0;
    }

    @Apply
    void on(CreditReserved e) {
        reserved += e.amount();
    }

    @Apply
    void on(CreditReleased e) {
        reserved -= e.amount();
    }

    @Apply
    void on(PointsAwarded e) {
        points += e.points();
    }

    /** Loyalty points earned by payments. */
    public long points() {
        return points;
    }

    /** Whether the customer has been registered. */
    public boolean exists() {
        return version() > 0;
    }

    /** Display name. */
    public String name() {
        return name;
    }

    /** The most the customer's unpaid orders may add up to. */
    public double creditLimit() {
        return creditLimit;
    }

    /** Credit currently reserved by unpaid orders, rounded to cents. */
    public double reserved() {
        return Math.round(reserved * 100.0) / 100.0;
    }

    /** Credit still available, rounded to cents. */
    public double available() {
        return Math.round((creditLimit - reserved) * 100.0) / 100.0;
    }
}
