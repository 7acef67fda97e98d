package dev.eventsource.tests.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.InMemoryStore;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's quick start, exactly as written there, compiled with the processor and run. */
class QuickStartTest {

    @Test
    void quickStartRunsAsWritten() {
        Engine engine = Engine.builder().store(new InMemoryStore()).snapshotEvery(100).build();
        engine.registerAggregate(Order.class);
        OrderSummary summary = new OrderSummary();
        engine.registerProjection(summary, StreamOptions.named("orders").partitions(4).bufferSize(1000));
        engine.start();
        Order order = engine.execute(Order.class, "order_1", new CreateOrder("order_1", "c_1", 99.99));
        Optional<Order> loaded = engine.load(Order.class, "order_1");
        boolean caughtUp = engine.awaitProjections(Duration.ofSeconds(5));   // true once every projection has seen every committed event
        engine.close();                                    // Engine is AutoCloseable; close drains, never drops

        assertThat(order.id()).isEqualTo("order_1");
        assertThat(order.status).isEqualTo("created");
        assertThat(order.version()).isEqualTo(1);
        assertThat(loaded).hasValueSatisfying(o -> {
            assertThat(o.amount).isEqualTo(99.99);
            assertThat(o.status).isEqualTo("created");
        });
        assertThat(caughtUp).isTrue();
        assertThat(summary.totalOrders).hasValue(1);
        assertThat(summary.totalAmount.sum()).isEqualTo(99.99);
    }
}
