package dev.eventsource.internal.projection;

import dev.eventsource.EventDecodingException;
import dev.eventsource.EventEnvelope;
import dev.eventsource.StreamOptions;
import dev.eventsource.internal.Decoding;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.StoredEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrying the dead letters of one partition (or of an inline projection): each is looked up again
 * in the store (a dead letter retried or deleted meanwhile is reported, not retried twice), its event
 * re-read by global position, decoded through {@link Decoding#decode} (so an old stored version goes
 * through its upcasters) and handed to a {@link Redelivery}; a success deletes the dead letter
 * (unless the redelivery deleted it in its own transaction), a failure saves it again with the
 * attempts added up, the new error and the clock's time.
 *
 * <p>Threading: an instance is used by one thread at a time, the partition's worker thread (or
 * the caller holding every inline order lock), which is then the only thread calling the
 * projection. A {@link Request} is made by the caller, served by that thread and handed back
 * through its future; only {@link Request#cancel} crosses threads (a volatile flag). Logs under
 * {@link AsyncProjection}'s logger, which the operations guide lists.
 *
 * <pre>{@code
 * DeadLetterRetry retrier = new DeadLetterRetry(run, 0, redelivery);
 * retrier.serve(request, worker.progress(), policy::retried);   // on the partition's thread
 * Report report = request.done().join();
 * }</pre>
 */
final class DeadLetterRetry {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncProjection.class);

    /** Handles a dead letter's decoded event again with the projection's retry attempts. */
    @FunctionalInterface
    interface Redelivery {

        /**
         * @return how it went; {@link Redelivered#deleted()} when it deleted the dead letter itself
         * @throws InterruptedException when the projection stops meanwhile (the dead letter stays)
         */
        Redelivered redeliver(DeadLetter letter, EventEnvelope<Object> event) throws InterruptedException;
    }

    /**
     * After a rebuild reset the projection: deletes the dead letters recorded before it, which are
     * stale (the replay handles their events again and records each that still fails anew; a retry
     * would apply them twice). One attempt each; one that cannot be deleted is logged, by position, as
     * stale (it must not be retried: delete it by hand).
     */
    static void dropStale(EventStore store, String projection, List<DeadLetter> stale) {
        List<Long> kept = new ArrayList<>();
        RuntimeException failure = null;
        for (DeadLetter d : stale) {
            try {
                store.deleteDeadLetter(projection, d.globalPosition());
            } catch (RuntimeException e) {
                kept.add(d.globalPosition());
                failure = e;
            }
        }
        if (!stale.isEmpty()) {
            LOG.info("projection {}: the rebuild deleted its {} dead letters from before (the replay handles their events"
                    + " again)", projection, stale.size() - kept.size());
        }
        if (failure != null) {
            LOG.warn("projection {}: the rebuild could not delete its stale dead letters at positions {}; the replay"
                    + " handles their events again, so do not retry them: delete them from the store", projection, kept,
                    failure);
        }
    }

    /** The redelivery of a projection without transactions: its attempts with backoff, as for a live event. */
    static Redelivery plain(Target target, StreamOptions options, BooleanSupplier stopping) {
        return (letter, event) -> new Redelivered(Delivery.handle(target, event, options, stopping), options.maxAttempts(),
                false, false);
    }

    /**
     * What one redelivery did.
     *
     * @param failure the last failure, or {@code null} on success
     * @param attempts how many times the projection was called
     * @param deleted the dead letter was deleted in the projection's transaction
     * @param vanished the dead letter was gone when its transaction tried to delete it (retried elsewhere); nothing ran
     */
    record Redelivered(Throwable failure, int attempts, boolean deleted, boolean vanished) {
    }

    private final Target target;
    private final EventStore store;
    private final Clock clock;
    private final StoreRetry retry;
    private final int partition;
    private final Redelivery redelivery;

    /** Retries for partition {@code partition} of {@code run}'s projection through {@code redelivery}. */
    DeadLetterRetry(ProjectionRun run, int partition, Redelivery redelivery) {
        this(run.target(), run.store(), run.clock(), run.retry(), partition, redelivery);
    }

    DeadLetterRetry(Target target, EventStore store, Clock clock, StoreRetry retry, int partition, Redelivery redelivery) {
        this.target = target;
        this.store = store;
        this.clock = clock;
        this.retry = retry;
        this.partition = partition;
        this.redelivery = redelivery;
    }

    /**
     * Retries the request's dead letters in position order and completes it, unless this throws:
     * then the caller {@linkplain Request#finish finishes} it with the reason.
     *
     * @param progress the partition's progress: a dead letter after it is not retried (the partition
     *     has not reached it again since a rebuild, and will replay it)
     * @param onRetried called once per dead letter retried successfully (the status count)
     * @throws InterruptedException when the projection stops meanwhile
     */
    void serve(Request request, long progress, Runnable onRetried) throws InterruptedException {
        Map<Long, DeadLetter> current = new HashMap<>();
        retry.run(() -> store.loadDeadLetters(target.name()).forEach(d -> current.put(d.globalPosition(), d)),
                "load the dead letters to retry of partition " + partition);
        List<DeadLetter> letters = request.letters;
        while (request.next < letters.size()) {
            DeadLetter asked = letters.get(request.next);
            if (request.cancelled) {
                request.finish("the caller stopped waiting (timeout); call retryDeadLetters again");
                return;
            }
            DeadLetter letter = current.get(asked.globalPosition());
            if (letter == null) {
                request.report.notRetried(asked, "it is no longer a dead letter (retried or deleted meanwhile)");
            } else if (letter.globalPosition() > progress) {
                request.report.notRetried(letter, "partition " + partition + " has handled only up to position " + progress
                        + " since it started or was rebuilt, and reaches this event again by itself; retry after it caught up");
            } else if (retryOne(letter, request.report)) {
                onRetried.run();
            }
            request.next++;
        }
        request.complete();
    }

    /** Retries one dead letter; true when it succeeded and is gone. */
    private boolean retryOne(DeadLetter letter, Report report) throws InterruptedException {
        long position = letter.globalPosition();
        StoredEvent e = reread(position);
        if (e == null) {
            report.notRetried(letter, "the store has no event at position " + position + " any more");
            return false;
        }
        EventEnvelope<Object> envelope;
        try {
            envelope = target.decode(e);
        } catch (EventDecodingException x) {
            failedAgain(letter, e, x, 1, report);
            return false;
        }
        if (envelope == null) {
            report.notRetried(letter, "the projection no longer handles event type " + e.eventType());
            return false;
        }
        Redelivered result = redelivery.redeliver(letter, envelope);
        if (result.vanished()) {
            report.notRetried(letter, "it is no longer a dead letter (retried or deleted meanwhile)");
            return false;
        }
        if (result.failure() != null) {
            failedAgain(letter, e, result.failure(), result.attempts(), report);
            return false;
        }
        if (!result.deleted()) {
            boolean[] existed = new boolean[1];
            retry.run(() -> existed[0] = store.deleteDeadLetter(target.name(), position),
                    "delete the dead letter at position " + position + " after its retry succeeded");
            if (!existed[0]) {
                LOG.warn("projection {} partition {}: retried {} successfully, but its dead letter was gone already"
                        + " (deleted meanwhile)", target.name(), partition, e.describe());
            }
        }
        report.retried();
        LOG.info("projection {} partition {}: retried the dead letter of {} successfully; it is deleted", target.name(),
                partition, e.describe());
        return true;
    }

    /** The event at {@code position}, or {@code null} when the store has none there; asks until the store answers. */
    private StoredEvent reread(long position) {
        List<StoredEvent> found = new ArrayList<>(1);
        retry.run(() -> {
            found.clear();
            found.addAll(store.readLog(position - 1, 1));
        }, "re-read the event at position " + position + " to retry its dead letter");
        return found.isEmpty() || found.get(0).globalPosition() != position ? null : found.get(0);
    }

    private void failedAgain(DeadLetter letter, StoredEvent e, Throwable error, int attempts, Report report) {
        int total = letter.attempts() + attempts;
        DeadLetter kept = Delivery.deadLetter(target.name(), letter.partition(), e.globalPosition(), e.streamType(),
                e.streamId(), e.version(), e.eventType(), total, error, clock);
        retry.run(() -> store.saveDeadLetter(kept), "update the dead letter of " + e.describe() + " after a failed retry");
        report.failed(letter, "failed again after " + attempts + " attempts (" + total + " in all): " + error);
        LOG.error("projection {} partition {}: retrying {} failed again after {} attempts ({} in all); it stays a dead"
                + " letter", target.name(), partition, e.describe(), attempts, total, error);
    }

    /**
     * A caller's request to retry some dead letters of one partition, in position order, served on
     * that partition's thread; the caller waits on {@link #done()}.
     */
    static final class Request {
        private final List<DeadLetter> letters;
        private final Report report = new Report();
        private final CompletableFuture<Report> done = new CompletableFuture<>();
        /** Written by the serving thread only: the index of the first dead letter not handled yet. */
        private int next;
        private volatile boolean cancelled;

        Request(List<DeadLetter> letters) {
            this.letters = List.copyOf(letters);
        }

        /** Completes with the report once every dead letter was handled or reported. */
        CompletableFuture<Report> done() {
            return done;
        }

        /** The caller stopped waiting: the serving thread reports the dead letters not begun yet as not retried. */
        void cancel() {
            cancelled = true;
        }

        /** Reports every dead letter not handled yet as not retried because of {@code why}, and completes. */
        void finish(String why) {
            for (int i = next; i < letters.size(); i++) {
                report.notRetried(letters.get(i), why);
            }
            next = letters.size();
            complete();
        }

        private void complete() {
            done.complete(report);
        }
    }

    /** What became of the dead letters of one retry: retried, failed again (kept) or not retried, and why. */
    static final class Report {
        private int retried;
        private final List<String> failed = new ArrayList<>();
        private final List<String> notRetried = new ArrayList<>();

        void retried() {
            retried++;
        }

        void failed(DeadLetter letter, String why) {
            failed.add(describe(letter) + ": " + why);
        }

        void notRetried(DeadLetter letter, String why) {
            notRetried.add(describe(letter) + ": " + why);
        }

        /** Adds {@code other}'s outcomes to this one. */
        void add(Report other) {
            retried += other.retried;
            failed.addAll(other.failed);
            notRetried.addAll(other.notRetried);
        }

        /** How many were retried successfully (and deleted). */
        int retriedCount() {
            return retried;
        }

        /** One line per dead letter that failed again, for the log. */
        List<String> failures() {
            return failed;
        }

        /** One line per dead letter not retried, with the reason, for the log. */
        List<String> skipped() {
            return notRetried;
        }

        private static String describe(DeadLetter d) {
            return "position " + d.globalPosition() + " (" + d.streamType() + "/" + d.streamId() + "@" + d.version()
                    + ", event type " + d.eventType() + ", partition " + d.partition() + ")";
        }
    }
}
