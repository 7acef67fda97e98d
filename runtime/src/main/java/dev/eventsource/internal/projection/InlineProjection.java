package dev.eventsource.internal.projection;

import dev.eventsource.EventDecodingException;
import dev.eventsource.EventEnvelope;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.DeadLetterStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.StoredEvent;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A projection without stream options: handled on the command's thread, after the append and
 * before {@code execute} returns. A failing event is retried with the default backoff and then
 * recorded as a dead letter (the command itself already committed and still succeeds).
 *
 * <p>It sees only the events committed through its own engine: over a store that several instances
 * share, each instance's inline projections see that instance's commands only.
 *
 * <p>Threading: called concurrently from command threads (the user's projection must be
 * thread-safe); events of one stream arrive in version order because the engine holds that
 * stream's order lock from append to delivery. Its dead letters are retried by a caller holding
 * every order lock ({@link #retry}).
 */
final class InlineProjection {

    private static final Logger LOG = LoggerFactory.getLogger(InlineProjection.class);
    private static final BooleanSupplier NEVER_STOPPING = () -> false;

    final Target target;
    private final StreamOptions options;
    private final DeadLetterStore deadLetterStore;
    private final Clock clock;
    private final AtomicLong deadLetters = new AtomicLong();
    private volatile long position;

    InlineProjection(Target target, DeadLetterStore deadLetterStore, Clock clock) {
        this.target = target;
        this.options = StreamOptions.named(target.name());
        this.deadLetterStore = deadLetterStore;
        this.clock = clock;
    }

    /** Whether the projection wants events of this type. */
    boolean wants(String eventType) {
        return target.receivesEveryEvent() || target.codecFor(eventType) != null;
    }

    /** Handles one committed event on the calling thread; never throws for the projection's failures. */
    void deliver(EventEnvelope<?> event) {
        Throwable failure;
        try {
            failure = Delivery.handle(target, event, options, NEVER_STOPPING);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        }
        if (failure != null) {
            deadLetter(event, failure);
        }
        if (event.globalPosition() > position) {
            position = event.globalPosition();
        }
    }

    /** Decodes and handles a stored event during a rebuild; an undecodable event is dead-lettered. */
    void replay(StoredEvent e) {
        EventEnvelope<Object> envelope;
        try {
            envelope = target.decode(e);
        } catch (EventDecodingException x) {
            deadLetter(Delivery.deadLetter(target.name(), 0, e.globalPosition(), e.streamType(), e.streamId(), e.version(),
                    e.eventType(), 1, x, clock), e.describe(), x);
            return;
        }
        if (envelope != null) {                          // null: a type the projection does not handle
            deliver(envelope);
        }
    }

    private void deadLetter(EventEnvelope<?> event, Throwable failure) {
        String where = event.streamType() + "/" + event.streamId() + "@" + event.version() + " (position "
                + event.globalPosition() + ", event type " + event.eventType() + ")";
        deadLetter(Delivery.deadLetter(target.name(), 0, event, options.maxAttempts(), failure, clock), where, failure);
    }

    private void deadLetter(DeadLetter letter, String where, Throwable failure) {
        deadLetters.incrementAndGet();
        try {
            deadLetterStore.saveDeadLetter(letter);
            LOG.error("inline projection {}: gave up on {} after {} attempts; recorded as a dead letter", target.name(),
                    where, letter.attempts(), failure);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            LOG.error("inline projection {}: gave up on {} after {} attempts and could not record a dead letter; rebuild"
                    + " the projection to recover the event", target.name(), where, letter.attempts(), failure);
        }
    }

    /**
     * A retrier of this projection's dead letters for the caller's thread, which must hold every
     * order lock (so that no command delivers to it meanwhile); the store is retried until
     * {@code deadlineNanos} or until {@code closed}.
     */
    DeadLetterRetry retry(EventStore store, long deadlineNanos, BooleanSupplier closed) {
        StoreRetry retry = new StoreRetry(target.name(), () -> closed.getAsBoolean() || System.nanoTime() > deadlineNanos);
        return new DeadLetterRetry(target, store, clock, retry, 0, DeadLetterRetry.plain(target, options, NEVER_STOPPING));
    }

    /** A dead letter was retried successfully: the status counts one fewer (never below zero). */
    void retried() {
        deadLetters.updateAndGet(n -> Math.max(0, n - 1));
    }

    /** Its status: run by this engine ({@code instanceId}), no lease and no checkpoint; {@code head} is the log's. */
    ProjectionStatus status(String instanceId, long head) {
        return new ProjectionStatus(target.name(), null, 0, position, deadLetters.get(), null, instanceId, null, -1, head);
    }
}
