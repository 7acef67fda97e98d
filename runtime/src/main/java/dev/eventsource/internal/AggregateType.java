package dev.eventsource.internal;

import dev.eventsource.AggregateRoot;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.SnapshotCodec;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A registered aggregate class as the engine runs it: its generated descriptor, effective snapshot
 * interval, the slots of its aggregates (sequencing and cache), whether commands on ids not seen yet
 * assume a new stream, and whether a snapshot problem was already logged.
 *
 * <p>Thread-safe: immutable apart from the slots, the guess and the flag, which are.
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
    final AggregateSlots<A> slots;
    final AtomicBoolean snapshotProblemLogged = new AtomicBoolean();
    /**
     * How often a command on an id this engine had not loaded found the stream empty lately: up by
     * one when it did, down by eight when it did not, from -8 (so an engine starts by reading, and
     * guesses only after eight new streams in a row). While it is not negative, such a command runs on
     * a new instance and appends at version 0 without reading the store first (one round trip instead
     * of two for a new aggregate); a wrong guess costs a refused append and a load, and the outcome is
     * the same either way. Updated without synchronization: a lost update only shifts the guess.
     */
    private volatile int newStreams = -8;

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
        this.slots = new AggregateSlots<>(cacheSize);
    }

    /** Whether a command on an id not loaded yet should assume a new stream (see {@link #newStreams}). */
    boolean assumeNew() {
        return newStreams >= 0;
    }

    /** Records whether an id not loaded before had an empty stream. */
    void sawNewStream(boolean wasNew) {
        int n = newStreams;
        newStreams = wasNew ? Math.min(n + 1, 64) : Math.max(n - 8, -64);
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
}
