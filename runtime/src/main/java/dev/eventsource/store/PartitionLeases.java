package dev.eventsource.store;

import java.time.Duration;
import java.util.List;

/**
 * Optional store role: partition ownership shared by several engines (instances) on one store, so
 * that each partition of an asynchronous projection is processed by exactly one live instance at a
 * time. The PostgreSQL store implements it with lease rows in the database; a store without it (the
 * in-memory store, which one process uses) leaves its engine owning every partition.
 *
 * <p>The engine drives the protocol (see {@code docs/scaling.md}):
 * <ol>
 *   <li>For every asynchronous projection it runs, every instance calls {@link #heartbeat} a few times
 *       per lease timeout: it renews the instance's membership and every lease it holds, and says how
 *       many instances are live.</li>
 *   <li>An instance holding fewer than its share, {@code ceil(partitions / instances)}, {@link #claim}s
 *       partitions that no one holds or whose lease ran out. One holding more stops the workers of its
 *       extra partitions (each finishes its batch and saves its checkpoint) and {@link #release}s them.</li>
 *   <li>Every checkpoint write of a partition goes through {@link #saveCheckpoint(Lease, long)} or
 *       {@link #inTransaction(Lease, long, TransactionalCheckpoints.TransactionWork)}, which commit only
 *       while the writer still holds the partition at the epoch it claimed it at; a claim waits for (or
 *       skips) a partition whose fenced transaction is in flight. A former owner that resumes after a
 *       pause can therefore commit nothing.</li>
 *   <li>{@link #leave} on close releases everything at once.</li>
 * </ol>
 *
 * <p>Expiry is judged by the store's clock (the database's), never by the instances', so clock skew
 * between hosts cannot make two owners. Deleting a projection's checkpoints
 * ({@link CheckpointStore#deleteCheckpoints}, {@link TransactionalCheckpoints#resetInTransaction})
 * also revokes every lease of the projection in the same transaction (its epoch grows, its owner and
 * any failure {@link #markStopped} recorded are cleared), so after a rebuild every partition is
 * claimed again and starts from no checkpoint, and no owner from before can commit.
 *
 * <pre>{@code
 * if (store instanceof PartitionLeases leases) {   // the PostgreSQL store
 *     PartitionLeases.Membership m = leases.heartbeat("order-summary", 8, "web-1:4711", Duration.ofSeconds(10));
 *     int share = (8 + m.instances() - 1) / m.instances();
 *     List<Lease> claimed = leases.claim("order-summary", 8, "web-1:4711", share - m.held().size(),
 *             Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public interface PartitionLeases {

    /**
     * What a {@link #heartbeat} found.
     *
     * @param instances the live instances running the projection, this one included (at least 1)
     * @param held the leases this instance holds, just renewed, by partition
     */
    record Membership(int instances, List<Lease> held) {
    }

    /**
     * Renews {@code instanceId}'s membership of {@code projection} and every lease it holds among
     * partitions {@code 0..partitions-1}, each until the store's now plus {@code timeout}; an instance
     * that stops calling it loses them {@code timeout} later.
     */
    Membership heartbeat(String projection, int partitions, String instanceId, Duration timeout);

    /**
     * Claims up to {@code max} of partitions {@code 0..partitions-1} that no one holds or whose lease
     * ran out, lowest first, skipping any whose fenced transaction is in flight. Each claimed lease
     * gets the next epoch and runs until the store's now plus {@code timeout}.
     *
     * @return the leases claimed, by partition (empty if {@code max <= 0} or none is free)
     */
    List<Lease> claim(String projection, int partitions, String instanceId, int max, Duration timeout);

    /** Gives the lease up at once, for another instance to claim; does nothing if it was already lost. */
    void release(Lease lease);

    /** Releases every lease {@code instanceId} holds on {@code projection} and ends its membership. */
    void leave(String projection, String instanceId);

    /**
     * Saves {@code position} as the partition's checkpoint (never lowering it, as
     * {@link CheckpointStore#saveCheckpoint} does) if {@code lease} is still held at its epoch.
     *
     * @throws LeaseLostException if it is not; nothing was saved
     */
    void saveCheckpoint(Lease lease, long position);

    /**
     * As {@link TransactionalCheckpoints#inTransaction}, fenced: the transaction first checks, and
     * locks against a claim, that {@code lease} is still held at its epoch, and rolls back without
     * running {@code work} if it is not. Only for stores that are also {@link TransactionalCheckpoints};
     * others throw {@link UnsupportedOperationException}.
     *
     * @throws LeaseLostException if the lease is no longer held; nothing was committed
     */
    void inTransaction(Lease lease, long position, TransactionalCheckpoints.TransactionWork work);

    /**
     * Records why the owner stopped the partition ({@code null} clears it), so every instance's status
     * shows it; does nothing if {@code lease} is no longer held.
     */
    void markStopped(Lease lease, String failure);

    /** Every partition's lease of {@code projection} that the store knows, by partition (free ones included). */
    List<Lease> leases(String projection);
}
