package dev.eventsource.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.CommandValidationException;
import dev.eventsource.sample.customer.AwardPoints;
import dev.eventsource.sample.customer.Customer;
import dev.eventsource.sample.customer.CustomerRegistered;
import dev.eventsource.sample.customer.PointsAwarded;
import dev.eventsource.sample.order.CancelOrder;
import dev.eventsource.sample.order.ChangeStatus;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.order.OrderCancelled;
import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.sample.order.OrderPaid;
import dev.eventsource.sample.order.OrderStatus;
import dev.eventsource.sample.order.OrderStatusChanged;
import dev.eventsource.sample.order.PayOrder;
import dev.eventsource.testing.AggregateFixture;
import org.junit.jupiter.api.Test;

/** The order and loyalty rules, one command at a time, with the testing kit's fixture. */
class OrderRulesTest {

    private static AggregateFixture<Order> order() {
        return AggregateFixture.of(Order.class).withId("order_1").given(new OrderCreated("order_1", "c_1", 40.0));
    }

    @Test
    void a_payment_is_recorded_and_lowers_what_is_outstanding() {
        order().when(new PayOrder("pay_1", 15.0))
                .expectEvents(new OrderPaid("order_1", "pay_1", 15.0))
                .expectState(o -> assertThat(o.outstanding()).isEqualTo(25.0));
    }

    @Test
    void nothing_is_paid_above_what_is_outstanding_or_on_a_cancelled_order() {
        order().when(new PayOrder("pay_1", 50.0))
                .expectRejected(CommandValidationException.class, "exceeds the outstanding 40.0");
        order().given(new OrderCancelled("order_1", "changed their mind"))
                .when(new PayOrder("pay_1", 5.0))
                .expectRejected(CommandValidationException.class, "cannot pay a cancelled order");
    }

    @Test
    void confirming_needs_the_order_fully_paid_and_asking_again_records_nothing() {
        order().when(new ChangeStatus(OrderStatus.CONFIRMED))
                .expectRejected(CommandValidationException.class, "cannot confirm: 40.0 still to pay");
        order().given(new OrderPaid("order_1", "pay_1", 40.0))
                .when(new ChangeStatus(OrderStatus.CONFIRMED))
                .expectEvents(new OrderStatusChanged("order_1", OrderStatus.CONFIRMED));
        order().given(new OrderPaid("order_1", "pay_1", 40.0), new OrderStatusChanged("order_1", OrderStatus.CONFIRMED))
                .when(new ChangeStatus(OrderStatus.CONFIRMED))
                .expectNoEvents();
    }

    @Test
    void a_payment_made_while_the_order_is_being_cancelled_is_refused_on_the_retry() {
        order().whenConcurrently(new CancelOrder("changed their mind"))
                .when(new PayOrder("pay_1", 10.0))
                .expectRejected(CommandValidationException.class, "cannot pay a cancelled order");
    }

    @Test
    void loyalty_points_are_one_per_whole_euro_and_none_under_one() {
        AggregateFixture<Customer> customer = AggregateFixture.of(Customer.class).withId("c_1")
                .given(new CustomerRegistered("c_1", "Ada", 500_000));
        customer.when(new AwardPoints("order_1", 99.99))
                .expectEvents(new PointsAwarded("c_1", "order_1", 99))
                .expectState(c -> assertThat(c.points()).isEqualTo(99));
        customer.when(new AwardPoints("order_2", 0.5))
                .expectRejected(CommandValidationException.class, "no points for a payment of 0.5, under 1.00");
    }
}
