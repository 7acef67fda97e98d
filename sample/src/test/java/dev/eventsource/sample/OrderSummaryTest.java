package dev.eventsource.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.sample.order.OrderCancelled;
import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.sample.order.OrderLineAdded;
import dev.eventsource.sample.order.OrderPaid;
import dev.eventsource.sample.readmodel.OrderSummary;
import dev.eventsource.testing.ProjectionFixture;
import org.junit.jupiter.api.Test;

/** The order summary projection with the testing kit's projection fixture. */
class OrderSummaryTest {

    @Test
    void totals_count_orders_lines_payments_and_cancellations_in_cents() {
        ProjectionFixture.of(new OrderSummary())
                .given(new OrderCreated("order_1", "c_1", 10.10),
                        new OrderLineAdded("order_1", "sku-1", 2, 1.45),
                        new OrderPaid("order_1", "pay_1", 13.0),
                        new OrderCreated("order_2", "c_2", 5.0),
                        new OrderCancelled("order_2", "changed their mind"))
                .expectState(s -> assertThat(s.totals()).isEqualTo(new OrderSummary.Totals(2, 1010 + 290 + 500, 1, 1, 1300, 1)));
    }
}
