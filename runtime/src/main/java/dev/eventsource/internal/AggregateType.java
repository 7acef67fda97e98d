package dev.eventsource.internal;

import dev.eventsource.AggregateRoot;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.SnapshotCodec;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A registered aggregate class as the engine runs it: its generated descriptor, effective snapshot
 * interval, cache, and whether a snapshot problem was already logged.
 *
 * <p>Thread-safe: immutable apart from the cache and the flag, which are.
 *
 * @param <A> the aggregate type
 *
 * <pre>{@code
 * AggregateType<Order> type = new AggregateType<>(descriptor, 100, 10_000);
 * int every = type.snapshotEvery();
 * }</pre>
 */
public final class AggregateType<A extends AggregateRoot> {

    final AggregateDescriptor<A> descriptor;
    final String streamType;
    final boolean needsEnvelope;
    /** Events between snapshots; 0 = never. */
    final int snapshotEvery;
    /** {@code null} when the aggregate cannot be snapshotted. */
    final SnapshotCodec<A> snapshotCodec;
    final AggregateCache<A> cache;
    final AtomicBoolean snapshotProblemLogged = new AtomicBoolean();

    /**
     * @param engineSnapshotEvery the engine's default interval ({@code 0} = none), used when the
     *     aggregate's own {@code snapshotEvery} is 0
     */
    public AggregateType(AggregateDescriptor<A> descriptor, int engineSnapshotEvery, int cacheSize) {
        this.descriptor = descriptor;
        this.streamType = descriptor.streamType();
        this.needsEnvelope = descriptor.needsEnvelope();
        this.snapshotCodec = descriptor.snapshotCodec();
        int own = descriptor.snapshotEvery();
        int every = own > 0 ? own : own < 0 ? 0 : engineSnapshotEvery;
        this.snapshotEvery = snapshotCodec == null ? 0 : every;
        this.cache = new AggregateCache<>(cacheSize);
    }

    /** The generated descriptor. */
    public AggregateDescriptor<A> descriptor() {
        return descriptor;
    }

    /** The stable stream type name. */
    public String streamType() {
        return streamType;
    }

    /** Events between snapshots; 0 = never. */
    public int snapshotEvery() {
        return snapshotEvery;
    }

    /** The cache of loaded instances. */
    public AggregateCache<A> cache() {
        return cache;
    }
}
