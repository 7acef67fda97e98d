package dev.eventsource.tests.quickstart;

import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

@Projection
public class OrderSummary {
    final AtomicLong totalOrders = new AtomicLong();
    final DoubleAdder totalAmount = new DoubleAdder();
    @Apply void on(OrderCreated e) { totalOrders.incrementAndGet(); totalAmount.add(e.amount()); }
}
