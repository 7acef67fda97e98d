package dev.eventsource.internal.projection;

import dev.eventsource.EventDecodingException;
import dev.eventsource.StreamOptions;
import dev.eventsource.internal.Decoding;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.TransactionalCheckpoints;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one partition's batches of a transactional projection: each batch in one store transaction
 * that also saves the partition's checkpoint ({@link TransactionalCheckpoints#inTransaction}, through
 * {@link Partitions#commit}); if a handler fails, the batch's events one transaction each, so the
 * failing one is retried and given to the {@link PartitionFailurePolicy} alone. Store failures are
 * retried until they pass and never count against an event; a commit whose reply was lost is told
 * apart by the checkpoint it saved. A commit refused because the partition's lease was lost
 * ({@link LeaseLostException}, thrown before the work runs) is no store failure: it ends the worker.
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
        StreamOptions options = run.options();
        Throwable failure = null;
        int attempt = 0;
        while (attempt < options.maxAttempts()) {
            if (attempt > 0) {
                Delivery.sleep(Delivery.backoffNanos(options, attempt));
            }
            attempt++;
            failure = runTransaction(one);
            if (failure == null) {
                return true;
            }
            if (failure instanceof EventDecodingException) {
                break;
            }
        }
        if (!policy.giveUp(e, failure, attempt)) {
            return false;
        }
        worker.skipped(e.globalPosition());
        return true;
    }

    /**
     * One transaction for {@code events} and their checkpoint. Store failures (nothing the
     * projection threw, or what it threw because the store's connection broke under it:
     * {@link StoreUnavailableException}) are retried until they pass, unless the checkpoint shows
     * that the transaction committed after all.
     *
     * @return {@code null} when committed, else what the projection threw
     * @throws LeaseLostException when the store refused the commit because the lease was lost
     */
    private Throwable runTransaction(List<StoredEvent> events) throws InterruptedException {
        int partition = worker.index();
        long last = events.get(events.size() - 1).globalPosition();
        for (int failures = 1; ; failures++) {
            TransactionBatch work = new TransactionBatch(run.target(), events);
            try {
                partitions.commit(partition, last, work);
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
                run.retry().backOff("commit a transaction up to position " + last + " of partition " + partition, failures,
                        t instanceof RuntimeException r ? r : new RuntimeException(t));
                if (work.failure != null || !committedAnyway(partition, last)) {
                    continue;                            // the work did not commit: run it again
                }
            }
            worker.committed(last);
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
    private static final class TransactionBatch implements TransactionalCheckpoints.TransactionWork {
        private final Target target;
        private final List<StoredEvent> events;
        Throwable failure;

        TransactionBatch(Target target, List<StoredEvent> events) {
            this.target = target;
            this.events = events;
        }

        @Override
        public void run(Object tx) throws Exception {
            for (StoredEvent e : events) {
                EventCodec<?> codec = target.codecFor(e.eventType());
                if (codec == null && !target.receivesEveryEvent()) {
                    continue;
                }
                try {
                    target.handle(Decoding.envelope(e, Decoding.decode(e, codec)), tx);
                } catch (Exception | Error x) {
                    failure = x;
                    throw x;
                }
            }
        }
    }
}
