package dev.eventsource.internal.projection;

import dev.eventsource.EventDecodingException;
import dev.eventsource.EventEnvelope;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.TransactionalCheckpoints;
import dev.eventsource.store.TransactionalDeadLetters;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs one partition's batches of a transactional projection: each batch in one store transaction
 * that also saves the partition's checkpoint ({@link TransactionalCheckpoints#inTransaction}, through
 * {@link Partitions#commit}); if a handler fails, the batch's events one transaction each, so the
 * failing one is retried and given to the {@link PartitionFailurePolicy} alone. Store failures are
 * retried until they pass and never count against an event; a commit whose reply was lost is told
 * apart by the checkpoint it saved. A commit refused because the partition's lease was lost
 * ({@link LeaseLostException}, thrown before the work runs) is no store failure: it ends the worker.
 * It also retries dead letters of the partition, one transaction each ({@link #redeliver}).
 *
 * <p>Threading: called only by its partition's worker thread; it reports progress and saved
 * checkpoints to that {@link PartitionWorker}, on the same thread.
 *
 * <pre>{@code
 * TransactionalBatches batches = new TransactionalBatches(run, worker, partitions, policy);
 * boolean goOn = batches.process(drained);   // false: the partition stopped
 * }</pre>
 */
final class TransactionalBatches {

    private final ProjectionRun run;
    private final PartitionWorker worker;
    private final Partitions partitions;
    private final PartitionFailurePolicy policy;

    /** Batches of {@code worker}'s partition, committed through {@code partitions}, failures given to {@code policy}. */
    TransactionalBatches(ProjectionRun run, PartitionWorker worker, Partitions partitions, PartitionFailurePolicy policy) {
        this.run = run;
        this.worker = worker;
        this.partitions = partitions;
        this.policy = policy;
    }

    /**
     * Handles the drained queue items (events and {@link PartitionWorker#ADVANCE} markers) in one
     * transaction; if a handler fails, one transaction per event.
     *
     * @return false when the partition stopped at an event
     * @throws InterruptedException when the projection stops: what did not commit stays after the checkpoint
     */
    boolean process(List<Object> batch) throws InterruptedException {
        List<StoredEvent> events = new ArrayList<>(batch.size());
        for (Object item : batch) {
            if (item != PartitionWorker.ADVANCE) {
                events.add((StoredEvent) item);
            }
        }
        if (events.isEmpty()) {
            return true;
        }
        if (events.size() > 1 && runTransaction(events) == null) {
            return true;
        }
        for (StoredEvent e : events) {
            if (!handleInOwnTransaction(e)) {
                return false;
            }
        }
        return true;
    }

    private boolean handleInOwnTransaction(StoredEvent e) throws InterruptedException {
        List<StoredEvent> one = List.of(e);
        Tried tried = withAttempts(() -> runTransaction(one));
        if (tried.failure() == null) {
            return true;
        }
        if (!policy.giveUp(e, tried.failure(), tried.attempts())) {
            return false;
        }
        worker.skipped(e.globalPosition());
        return true;
    }

    /** One try of a transaction: {@code null} when it committed, else what the projection threw. */
    @FunctionalInterface
    private interface Try {
        Throwable run() throws InterruptedException;
    }

    /** How a transaction went after its tries: the last failure ({@code null}: committed) and how many tries it took. */
    private record Tried(Throwable failure, int attempts) {
    }

    /**
     * Runs {@code attempt} up to {@code maxAttempts} times with the projection's backoff, until it
     * commits; an {@link EventDecodingException} ends the tries at once (trying again cannot help).
     */
    private Tried withAttempts(Try attempt) throws InterruptedException {
        StreamOptions options = run.options();
        Throwable failure = null;
        int tries = 0;
        while (tries < options.maxAttempts()) {
            if (tries > 0) {
                Delivery.sleep(Delivery.backoffNanos(options, tries));
            }
            tries++;
            failure = attempt.run();
            if (failure == null || failure instanceof EventDecodingException) {
                break;
            }
        }
        return new Tried(failure, tries);
    }

    /**
     * Retries a dead letter's event (decoded already) in transactions of its own, with the
     * projection's attempts and backoff. When the store has {@link TransactionalDeadLetters}, each
     * transaction first deletes the dead letter: the read model's change and the deletion commit
     * together (exactly once), and a dead letter found gone (retried by another transaction) runs
     * nothing. Otherwise the caller deletes it after the commit (at least once: a crash in between
     * retries it again). The transactions save the checkpoint this partition saved last, which they
     * leave as it is (a checkpoint is never lowered, and this one is the partition's own).
     */
    DeadLetterRetry.Redelivered redeliver(DeadLetter letter, EventEnvelope<Object> event) throws InterruptedException {
        TransactionalDeadLetters deletes = run.transactions() instanceof TransactionalDeadLetters d ? d : null;
        long position = letter.globalPosition();
        long checkpoint = worker.savedCheckpoint();
        RetryWork[] last = new RetryWork[1];
        Tried tried = withAttempts(() -> commit(checkpoint, () -> last[0] = new RetryWork(run, deletes, position, event),
                "the retry of the dead letter at position " + position, () -> deletes != null && !deadLettered(position)));
        boolean committed = tried.failure() == null;
        return new DeadLetterRetry.Redelivered(tried.failure(), tried.attempts(), committed && deletes != null,
                committed && last[0].vanished);
    }

    /** Whether the projection still has a dead letter at {@code position}; asks until the store answers. */
    private boolean deadLettered(long position) {
        boolean[] found = new boolean[1];
        run.retry().run(() -> found[0] = run.store().loadDeadLetters(run.name()).stream()
                .anyMatch(d -> d.globalPosition() == position), "look for the dead letter at position " + position
                        + " after a failed commit of its retry");
        return found[0];
    }

    /**
     * One transaction for {@code events} and their checkpoint; see {@link #commit}.
     *
     * @return {@code null} when committed, else what the projection threw
     * @throws LeaseLostException when the store refused the commit because the lease was lost
     */
    private Throwable runTransaction(List<StoredEvent> events) throws InterruptedException {
        int partition = worker.index();
        long last = events.get(events.size() - 1).globalPosition();
        Throwable failure = commit(last, () -> new TransactionBatch(run.target(), events),
                "a transaction up to position " + last, () -> committedAnyway(partition, last));
        if (failure == null) {
            worker.committed(last);
        }
        return failure;
    }

    /**
     * Commits one transaction of fresh work that also saves {@code checkpoint}. Store failures
     * (nothing the projection threw, or what it threw because the store's connection broke under it:
     * {@link StoreUnavailableException}) are retried until they pass, unless
     * {@code committedAnyway} shows that the transaction committed after all.
     *
     * @param what the transaction, for the log
     * @return {@code null} when committed, else what the projection threw
     * @throws LeaseLostException when the store refused the commit because the lease was lost
     */
    private Throwable commit(long checkpoint, Supplier<ProjectionWork> newWork, String what, BooleanSupplier committedAnyway)
            throws InterruptedException {
        int partition = worker.index();
        for (int failures = 1; ; failures++) {
            ProjectionWork work = newWork.get();
            try {
                partitions.commit(partition, checkpoint, work);
            } catch (Throwable t) {
                Delivery.rethrowFatal(t);
                if (t instanceof LeaseLostException lost && work.failure == null) {
                    throw lost;                          // owned elsewhere now: nothing committed, nothing to retry
                }
                if (run.stopping().getAsBoolean()) {
                    throw new InterruptedException("stopping");
                }
                if (work.failure != null && !(t instanceof StoreUnavailableException)) {
                    return work.failure;                 // the projection failed, not the store
                }
                run.retry().backOff("commit " + what + " of partition " + partition, failures,
                        t instanceof RuntimeException r ? r : new RuntimeException(t));
                if (work.failure != null || !committedAnyway.getAsBoolean()) {
                    continue;                            // the work did not commit: run it again
                }
            }
            return null;
        }
    }

    /**
     * After a transaction failed in the store: whether it committed all the same (the reply to
     * its commit was lost). Its checkpoint was saved in the transaction and never moves back, so
     * it has reached {@code last} when the transaction committed (or when another engine running
     * this projection committed those events in its own transactions); running the work again
     * would apply its events twice. Asks until the store answers.
     */
    private boolean committedAnyway(int partition, long last) {
        return partitions.checkpoint(partition) >= last;
    }

    /** The work of one projection transaction; remembers whether the projection (not the store) failed. */
    private abstract static class ProjectionWork implements TransactionalCheckpoints.TransactionWork {
        Throwable failure;

        /** Runs a step of the projection's (decoding or handling), remembering what it threw. */
        final void projectionStep(Step step) throws Exception {
            try {
                step.run();
            } catch (Exception | Error x) {
                failure = x;
                throw x;
            }
        }

        /** A step that may throw. */
        @FunctionalInterface
        interface Step {
            void run() throws Exception;
        }
    }

    /** The events of one batch, decoded and handled in the transaction. */
    private static final class TransactionBatch extends ProjectionWork {
        private final Target target;
        private final List<StoredEvent> events;

        TransactionBatch(Target target, List<StoredEvent> events) {
            this.target = target;
            this.events = events;
        }

        @Override
        public void run(Object tx) throws Exception {
            for (StoredEvent e : events) {
                projectionStep(() -> {
                    EventEnvelope<Object> envelope = target.decode(e);
                    if (envelope != null) {                  // null: a type the projection does not handle
                        target.handle(envelope, tx);
                    }
                });
            }
        }
    }

    /** A dead letter's event handled again, its dead letter deleted in the same transaction when the store can. */
    private static final class RetryWork extends ProjectionWork {
        private final ProjectionRun run;
        private final TransactionalDeadLetters deletes;
        private final long position;
        private final EventEnvelope<Object> event;
        /** The dead letter was gone when the transaction came to delete it: nothing ran. */
        boolean vanished;

        RetryWork(ProjectionRun run, TransactionalDeadLetters deletes, long position, EventEnvelope<Object> event) {
            this.run = run;
            this.deletes = deletes;
            this.position = position;
            this.event = event;
        }

        @Override
        public void run(Object tx) throws Exception {
            if (deletes != null && !deletes.deleteDeadLetter(tx, run.name(), position)) {
                vanished = true;
                return;
            }
            projectionStep(() -> run.target().handle(event, tx));
        }
    }
}
