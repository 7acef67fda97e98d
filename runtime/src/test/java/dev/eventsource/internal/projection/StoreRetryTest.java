package dev.eventsource.internal.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreRetryTest {

    @Test
    void theBackoffDoublesFrom50MillisecondsUpTo3Point2Seconds() {
        assertThat(StoreRetry.delayNanos(1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(StoreRetry.delayNanos(2)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(StoreRetry.delayNanos(7)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3_200));
        assertThat(StoreRetry.delayNanos(1_000)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3_200));
    }

    @Test
    void anOperationRunsUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        new StoreRetry("p", () -> false).run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("store down");
            }
        }, "save something");

        assertThat(calls).hasValue(3);
    }

    @Test
    void aStoppingProjectionGivesUpAfterTheFailedAttempt() {
        AtomicInteger calls = new AtomicInteger();
        StoreRetry retry = new StoreRetry("p", () -> true);

        assertThatThrownBy(() -> retry.run(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("store down");
        }, "save something")).isInstanceOf(StoreRetry.StopSignal.class);
        assertThat(calls).hasValue(1);
    }
}
