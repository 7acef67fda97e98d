package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/**
 * A fenced write ({@link PartitionLeases#saveCheckpoint}, {@link PartitionLeases#inTransaction})
 * was refused because the writer no longer holds the partition at the epoch it claimed: its lease
 * ran out (a long pause, a network cut) and another instance took the partition, or a rebuild
 * revoked it. Nothing of the write was committed. The engine stops that partition's worker and
 * leaves the partition to its new owner; it is not a failure of the projection.
 *
 * <pre>{@code
 * if (store instanceof PartitionLeases leases) {   // the PostgreSQL store
 *     for (Lease lease : leases.claim("order-summary", 8, "web-1:4711", 1, Duration.ofSeconds(10))) {
 *         try {
 *             leases.saveCheckpoint(lease, 1_042);
 *         } catch (LeaseLostException e) {
 *             // stop working on e.partition(): another instance owns it now
 *         }
 *     }
 * }
 * }</pre>
 */
public class LeaseLostException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final String projection;
    private final int partition;
    private final long epoch;

    /**
     * @param lease the lease the writer held
     * @param what the refused write, e.g. {@code "checkpoint 1042"}
     */
    public LeaseLostException(Lease lease, String what) {
        super("projection " + lease.projection() + " partition " + lease.partition() + ": " + what
                + " refused: instance " + lease.owner() + " no longer holds the partition at epoch " + lease.epoch()
                + " (its lease ran out and another instance took it, or a rebuild revoked it)");
        this.projection = lease.projection();
        this.partition = lease.partition();
        this.epoch = lease.epoch();
    }

    /** The projection's name. */
    public String projection() {
        return projection;
    }

    /** The partition that was lost. */
    public int partition() {
        return partition;
    }

    /** The epoch the writer held it at. */
    public long epoch() {
        return epoch;
    }
}
