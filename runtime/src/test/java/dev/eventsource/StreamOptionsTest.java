package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.StreamOptions.FailurePolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamOptionsTest {

    @Test
    void defaultsAndFluentCopies() {
        StreamOptions base = StreamOptions.named("orders");
        StreamOptions tuned = base.partitions(4).bufferSize(1000).batchSize(50).maxAttempts(5)
                .backoff(Duration.ofMillis(20)).maxBackoff(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .onFailure(FailurePolicy.STOP_PARTITION);

        assertThat(base.partitions()).isEqualTo(1);
        assertThat(base.bufferSize()).isEqualTo(1024);
        assertThat(base.failurePolicy()).isEqualTo(FailurePolicy.DEAD_LETTER);
        assertThat(base.maxAttempts()).isEqualTo(3);
        assertThat(tuned).isEqualTo(new StreamOptions("orders", 4, 1000, 50, FailurePolicy.STOP_PARTITION, 5,
                Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(10)));
    }

    @Test
    void badValuesAreRejectedNamingTheValueAndStream() {
        StreamOptions o = StreamOptions.named("orders");
        assertThatThrownBy(() -> o.partitions(0)).hasMessage("partitions must be between 1 and 1024: 0 (stream orders)");
        assertThatThrownBy(() -> o.partitions(2000)).hasMessageContaining("2000");
        assertThatThrownBy(() -> o.bufferSize(0)).hasMessage("bufferSize must be at least 1: 0 (stream orders)");
        assertThatThrownBy(() -> o.batchSize(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> o.maxAttempts(0)).hasMessageContaining("maxAttempts must be at least 1: 0");
        assertThatThrownBy(() -> o.backoff(Duration.ofMillis(-1))).hasMessageContaining("backoff must not be negative: PT-0.001S");
        assertThatThrownBy(() -> o.maxBackoff(Duration.ofMillis(1))).hasMessageContaining("maxBackoff must not be shorter");
        assertThatThrownBy(() -> o.pollInterval(Duration.ZERO)).hasMessageContaining("pollInterval must be positive");
        assertThatThrownBy(() -> StreamOptions.named(" ")).hasMessageContaining("stream name must not be blank");
    }

    @Test
    void longerBackoffRaisesTheCap() {
        assertThat(StreamOptions.named("x").backoff(Duration.ofSeconds(5)).maxBackoff()).isEqualTo(Duration.ofSeconds(5));
    }
}
