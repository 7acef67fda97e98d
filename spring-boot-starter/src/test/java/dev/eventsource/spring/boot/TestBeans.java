package dev.eventsource.spring.boot;

import dev.eventsource.spring.boot.domain.ClosingAudit;
import dev.eventsource.spring.boot.domain.OpenTickets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The application the tests run: two projection beans, one of each kind. */
@Configuration(proxyBeanMethods = false)
class TestBeans {

    @Bean
    OpenTickets openTickets() {
        return new OpenTickets();
    }

    @Bean
    ClosingAudit closingAudit() {
        return new ClosingAudit();
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
