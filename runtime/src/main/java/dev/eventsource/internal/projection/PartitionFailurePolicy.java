package dev.eventsource.internal.projection;

import dev.eventsource.EventDecodingException;
import dev.eventsource.EventEnvelope;
import dev.eventsource.StreamOptions.FailurePolicy;
import dev.eventsource.store.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one partition does with an event its projection keeps failing on: the event is tried
 * {@code maxAttempts} times with backoff, then the {@link FailurePolicy} applies: {@code DEAD_LETTER}
 * saves a dead letter (stamped by the run's injected clock) and goes on, {@code STOP_PARTITION}
 * stops the partition at the event. An event that does not decode goes to the policy at once.
 * Keeps the partition's dead-letter count (less those retried successfully) and the reason it stopped.
 *
 * <p>Threading: called only by its partition's worker thread, the only writer of
 * {@link #deadLetters} and {@link #failure}; any thread reads them (the router, to stop feeding a
 * stopped partition; status). Logs under {@link AsyncProjection}'s logger, which the operations
 * guide lists.
 *
 * <pre>{@code
 * PartitionFailurePolicy policy = new PartitionFailurePolicy(run, 0);
 * boolean goOn = policy.deliver(event);   // false: the partition stopped, see policy.failure()
 * }</pre>
 */
final class PartitionFailurePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncProjection.class);

    private final ProjectionRun run;
    private final int partition;
    private volatile long deadLetters;
    private volatile String failure;

    /** The policy of partition {@code partition}; dead letters go to the run's store, stamped by its clock. */
    PartitionFailurePolicy(ProjectionRun run, int partition) {
        this.run = run;
        this.partition = partition;
    }

    /**
     * Decodes and handles one event, retrying a failing handler, then applies the policy.
     *
     * @return false when the partition stopped at the event
     * @throws InterruptedException when the projection stops meanwhile (the event stays unhandled)
     */
    boolean deliver(StoredEvent e) throws InterruptedException {
        Target target = run.target();
        EventEnvelope<Object> envelope;
        try {
            envelope = target.decode(e);
        } catch (EventDecodingException x) {
            return giveUp(e, x, 1);
        }
        if (envelope == null) {
            return true;                                 // a type the projection does not handle
        }
        Throwable error = Delivery.handle(target, envelope, run.options(), run.stopping());
        return error == null || giveUp(e, error, run.options().maxAttempts());
    }

    /**
     * Applies the policy to an event that failed {@code attempts} times.
     *
     * @return true when the partition goes on with the next event (the event is dead-lettered)
     * @throws StoreRetry.StopSignal when the projection stops while the store cannot save the dead letter
     */
    boolean giveUp(StoredEvent e, Throwable error, int attempts) {
        String name = run.name();
        if (run.options().failurePolicy() == FailurePolicy.DEAD_LETTER) {
            var letter = Delivery.deadLetter(name, partition, e.globalPosition(), e.streamType(), e.streamId(), e.version(),
                    e.eventType(), attempts, error, run.clock());
            run.retry().run(() -> run.store().saveDeadLetter(letter), "save a dead letter for " + e.describe());
            deadLetters++;
            LOG.error("projection {} partition {}: gave up on {} after {} attempts; recorded as a dead letter", name,
                    partition, e.describe(), attempts, error);
            return true;
        }
        failure = "stopped at " + e.describe() + " after " + attempts + " attempts: " + error;
        LOG.error("projection {} partition {}: stopped at {} after {} attempts; later events of this partition wait"
                + " until the projection is restarted or rebuilt", name, partition, e.describe(), attempts, error);
        return false;
    }

    /** Stops the partition for a reason outside the policy: its worker itself failed. */
    void stop(String reason) {
        failure = reason;
    }

    /** Why the partition stopped, or {@code null} while it runs. */
    String failure() {
        return failure;
    }

    /**
     * How many events the partition recorded as dead letters less how many it retried successfully;
     * below zero when it retried dead letters recorded before this run.
     */
    long deadLetters() {
        return deadLetters;
    }

    /** A dead letter was retried successfully and deleted. */
    void retried() {
        deadLetters--;
    }
}
