package dev.eventsource.store;

import java.time.Instant;

/**
 * One partition's ownership as a {@link PartitionLeases} store records it: who holds it, at which
 * fencing epoch, until when, and why it stopped if its owner stopped it. The epoch grows by one
 * each time the partition changes hands (or is revoked by a rebuild), so a former owner's lease no
 * longer matches and none of its writes can commit.
 *
 * <pre>{@code
 * Lease lease = new Lease("order-summary", 2, "web-1:4711", 7, Instant.parse("2026-12-01T12:00:10Z"), null);
 * boolean free = lease.owner() == null;
 * }</pre>
 *
 * @param projection the projection's name (its checkpoint key)
 * @param partition the partition number, from 0
 * @param owner the holding instance's id, or {@code null} if no one holds it
 * @param epoch the fencing epoch the owner claimed it at (0 before anyone claimed it)
 * @param expiresAt when the lease runs out unless renewed, by the store's clock; {@code null} if free
 * @param failure why its owner stopped the partition, or {@code null}
 */
public record Lease(String projection, int partition, String owner, long epoch, Instant expiresAt, String failure) {

    /** Whether {@code instanceId} holds this lease. */
    public boolean heldBy(String instanceId) {
        return owner != null && owner.equals(instanceId);
    }
}
