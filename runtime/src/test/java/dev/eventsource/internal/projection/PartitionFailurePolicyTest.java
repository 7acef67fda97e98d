package dev.eventsource.internal.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.StreamOptions;
import dev.eventsource.StreamOptions.FailurePolicy;
import dev.eventsource.internal.projection.Runs.Flaky;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PartitionFailurePolicyTest {

    private final InMemoryStore store = new InMemoryStore();
    private final AtomicBoolean stopping = new AtomicBoolean();

    private static StreamOptions options() {
        return StreamOptions.named("counters").maxAttempts(3).backoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2));
    }

    private PartitionFailurePolicy policy(Flaky projection, StreamOptions options) {
        return new PartitionFailurePolicy(Runs.run(projection, options, store, stopping), 2);
    }

    @Test
    void aHandlerThatRecoversWithinTheAttemptsIsNoFailure() throws InterruptedException {
        Flaky projection = new Flaky(2);
        PartitionFailurePolicy policy = policy(projection, options());

        assertThat(policy.deliver(Runs.added(7, "a"))).isTrue();

        assertThat(projection.calls).isEqualTo(3);
        assertThat(projection.handled).containsExactly(7L);
        assertThat(policy.deadLetters()).isZero();
        assertThat(policy.failure()).isNull();
        assertThat(store.loadDeadLetters("flaky")).isEmpty();
    }

    @Test
    void deadLetterAfterTheLastAttemptAndGoOn() throws InterruptedException {
        Flaky projection = new Flaky(Integer.MAX_VALUE);
        PartitionFailurePolicy policy = policy(projection, options());

        assertThat(policy.deliver(Runs.added(7, "a"))).isTrue();

        assertThat(projection.calls).isEqualTo(3);
        assertThat(policy.deadLetters()).isEqualTo(1);
        assertThat(policy.failure()).isNull();
        DeadLetter letter = store.loadDeadLetters("flaky").get(0);
        assertThat(letter.partition()).isEqualTo(2);
        assertThat(letter.globalPosition()).isEqualTo(7);
        assertThat(letter.streamId()).isEqualTo("a");
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.error()).contains("cannot handle position 7");
        assertThat(letter.failedAt()).isEqualTo(Runs.NOW);
    }

    @Test
    void stopPartitionKeepsTheReasonAndRecordsNothing() throws InterruptedException {
        Flaky projection = new Flaky(Integer.MAX_VALUE);
        PartitionFailurePolicy policy = policy(projection, options().onFailure(FailurePolicy.STOP_PARTITION));

        assertThat(policy.deliver(Runs.added(7, "a"))).isFalse();

        assertThat(projection.calls).isEqualTo(3);
        assertThat(policy.failure()).startsWith("stopped at Counter/a@1 (position 7, event type Added) after 3 attempts: "
                + "java.lang.IllegalStateException: cannot handle position 7");
        assertThat(policy.deadLetters()).isZero();
        assertThat(store.loadDeadLetters("flaky")).isEmpty();
    }

    @Test
    void anEventThatDoesNotDecodeGoesToThePolicyAtOnce() throws InterruptedException {
        Flaky projection = new Flaky(0);
        PartitionFailurePolicy policy = policy(projection, options());

        assertThat(policy.deliver(Runs.added(7, "a", "{\"amount\":"))).isTrue();

        assertThat(projection.calls).isZero();
        DeadLetter letter = store.loadDeadLetters("flaky").get(0);
        assertThat(letter.attempts()).isEqualTo(1);
        assertThat(letter.error()).contains("EventDecodingException");
    }

    @Test
    void aDeadLetterIsSavedOnceTheStoreIsBack() throws InterruptedException {
        AtomicInteger refusals = new AtomicInteger(2);
        var flakyStore = new ForwardingEventStore(store) {
            @Override
            public void saveDeadLetter(DeadLetter deadLetter) {
                if (refusals.getAndDecrement() > 0) {
                    throw new IllegalStateException("store down");
                }
                super.saveDeadLetter(deadLetter);
            }
        };
        var policy = new PartitionFailurePolicy(Runs.run(new Flaky(Integer.MAX_VALUE), options(), flakyStore, stopping), 0);

        assertThat(policy.deliver(Runs.added(7, "a"))).isTrue();

        assertThat(store.loadDeadLetters("flaky")).hasSize(1);
        assertThat(policy.deadLetters()).isEqualTo(1);
    }

    @Test
    void aStopEndsTheRetryOfTheDeadLetter() {
        var downStore = new ForwardingEventStore(store) {
            @Override
            public void saveDeadLetter(DeadLetter deadLetter) {
                stopping.set(true);
                throw new IllegalStateException("store down");
            }
        };
        var policy = new PartitionFailurePolicy(Runs.run(new Flaky(0), options(), downStore, stopping), 0);

        assertThatThrownBy(() -> policy.giveUp(Runs.added(7, "a"), new IllegalStateException("boom"), 3))
                .isInstanceOf(StoreRetry.StopSignal.class);
        assertThat(policy.deadLetters()).isZero();
    }
}
