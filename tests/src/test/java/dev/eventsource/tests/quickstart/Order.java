package dev.eventsource.tests.quickstart;

import dev.eventsource.AggregateRoot;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;

@Aggregate
public class Order extends AggregateRoot {           // dev.eventsource.AggregateRoot
    String id; String status; double amount;
    @Override public String id() { return id; }
    @Apply void on(OrderCreated e) { id = e.id(); amount = e.amount(); status = "created"; }
    @Apply void on(OrderStatusChanged e) { status = e.status(); }
}
