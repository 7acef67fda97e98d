package dev.eventsource.internal.projection;

import dev.eventsource.store.PartitionLeases;
import java.time.Duration;

/**
 * This engine as one instance of those sharing a store: its id, the store's lease role (or
 * {@code null} when the store does not share partitions between instances, and the engine owns every
 * partition of every projection), and how long a lease lasts without a heartbeat. The lease thread
 * heartbeats every fifth of the timeout, so an instance that dies loses its partitions at most one
 * timeout after its last heartbeat and the others take them at their next one.
 *
 * <p>Immutable.
 *
 * <pre>{@code
 * Cluster cluster = new Cluster("web-1:4711", store instanceof PartitionLeases l ? l : null, Duration.ofSeconds(10));
 * long every = cluster.heartbeatNanos();   // 2 s
 * }</pre>
 *
 * @param instanceId this engine's id, unique among the live instances on the store
 * @param leases the store's lease role, or {@code null}
 * @param leaseTimeout how long a lease lasts unless renewed
 */
public record Cluster(String instanceId, PartitionLeases leases, Duration leaseTimeout) {

    /** Whether partitions are shared between instances (the store has leases). */
    public boolean shared() {
        return leases != null;
    }

    /** The time between two heartbeats: a fifth of the lease timeout. */
    public long heartbeatNanos() {
        return leaseTimeout.toNanos() / 5;
    }
}
