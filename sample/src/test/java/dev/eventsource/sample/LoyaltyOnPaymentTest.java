package dev.eventsource.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.CommandValidationException;
import dev.eventsource.sample.customer.AwardPoints;
import dev.eventsource.sample.customer.Customer;
import dev.eventsource.sample.customer.CustomerRegistered;
import dev.eventsource.sample.customer.PointsAwarded;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.sample.order.OrderPaid;
import dev.eventsource.sample.process.LoyaltyOnPayment;
import dev.eventsource.testing.ReactionFixture;
import org.junit.jupiter.api.Test;

/** The loyalty reaction with the testing kit's reaction fixture: its command, its context, redelivery. */
class LoyaltyOnPaymentTest {

    private static ReactionFixture<LoyaltyOnPayment> loyalty() {
        return ReactionFixture.of(LoyaltyOnPayment::new)
                .given(Order.class, "order_1", new OrderCreated("order_1", "c_1", 40.0))
                .given(Customer.class, "c_1", new CustomerRegistered("c_1", "Ada", 500_000));
    }

    @Test
    void a_payment_awards_points_once_even_when_the_event_comes_again() {
        loyalty().when(Order.class, "order_1", new OrderPaid("order_1", "pay_1", 25.0))
                .expectCommands(new AwardPoints("order_1", 25.0))
                .expectCausedBy(LoyaltyOnPayment.NAME)
                .expectAppended(Customer.class, "c_1", new PointsAwarded("c_1", "order_1", 25))
                .expectState(l -> assertThat(l.awarded()).isEqualTo(1))
                .redelivered()
                .expectCommands(new AwardPoints("order_1", 25.0))
                .expectAppended(Customer.class, "c_1")
                .expectState(l -> assertThat(l.duplicates()).isEqualTo(1));
    }

    @Test
    void a_payment_under_one_euro_is_rejected_by_the_customer_and_counted_not_failed() {
        loyalty().when(Order.class, "order_1", new OrderPaid("order_1", "pay_1", 0.5))
                .expectCommandsSatisfying(commands -> assertThat(commands).singleElement()
                        .satisfies(c -> assertThat(c.failure()).isInstanceOf(CommandValidationException.class)
                                .hasMessageContaining("under 1.00")))
                .expectAppended(Customer.class, "c_1")
                .expectState(l -> assertThat(l.rejected()).isEqualTo(1));
    }
}
