package dev.eventsource.internal.projection;

import dev.eventsource.store.Lease;
import dev.eventsource.store.PartitionLeases;

/**
 * Which partitions one run of an asynchronous projection owns, and how their checkpoint writes are
 * fenced. Over a store without {@link PartitionLeases} the engine owns every partition and writes
 * unfenced ({@link #all()}); otherwise it owns the partitions it holds a lease of, and every
 * checkpoint write of one goes through the store's fenced calls with that lease. Also where a
 * partition carried on from the previous run resumes ({@link Resume}), and whom to tell when a
 * fenced write finds its lease lost.
 *
 * <p>Immutable (the arrays are private copies); shared by the threads of one run.
 *
 * <pre>{@code
 * Ownership owned = Ownership.leased(leases, heldByPartition, resume, coordinator::wake);
 * if (owned.owns(2)) leases.saveCheckpoint(owned.lease(2), 1_042);
 * }</pre>
 */
final class Ownership {

    private static final Ownership ALL = new Ownership(null, null, null, () -> { });

    /**
     * Where a partition the engine keeps owning across a change of the owned set resumes: it held the
     * partition at one epoch throughout, so its own progress is at least the stored checkpoint (a
     * last save that failed left the store behind it), and a partition its failure policy stopped
     * stays stopped.
     *
     * @param progress the global position the previous run's worker had handled up to
     * @param failure why the previous run stopped the partition, or {@code null}
     */
    record Resume(long progress, String failure) {
    }

    private final PartitionLeases leases;
    private final Lease[] owned;
    private final Resume[] resume;
    private final Runnable onLost;

    private Ownership(PartitionLeases leases, Lease[] owned, Resume[] resume, Runnable onLost) {
        this.leases = leases;
        this.owned = owned;
        this.resume = resume;
        this.onLost = onLost;
    }

    /** Every partition, writes unfenced: a store that does not share partitions between instances. */
    static Ownership all() {
        return ALL;
    }

    /**
     * The partitions whose entry in {@code owned} (by partition) is a lease, writes fenced by it.
     *
     * @param resume by partition, where a partition carried on resumes; {@code null} entries (or array) for none
     * @param onLost run (on the worker's thread) when a fenced write finds a lease lost
     */
    static Ownership leased(PartitionLeases leases, Lease[] owned, Resume[] resume, Runnable onLost) {
        return new Ownership(leases, owned.clone(), resume == null ? new Resume[owned.length] : resume.clone(), onLost);
    }

    /** The store's lease role, or {@code null} when writes are unfenced. */
    PartitionLeases leases() {
        return leases;
    }

    /** Whether this run owns {@code partition}. */
    boolean owns(int partition) {
        return owned == null || owned[partition] != null;
    }

    /** The lease that fences {@code partition}'s writes, or {@code null} when they are unfenced. */
    Lease lease(int partition) {
        return owned == null ? null : owned[partition];
    }

    /** Where {@code partition} resumes if it is carried on from the previous run, else {@code null}. */
    Resume resume(int partition) {
        return resume == null ? null : resume[partition];
    }

    /** A fenced write of a partition found its lease lost. */
    void lost() {
        onLost.run();
    }
}
