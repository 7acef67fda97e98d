package dev.eventsource.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A serialized aggregate state at one version of its stream.
 *
 * <pre>{@code
 * SnapshotCodec<Order> codec = new Order_Aggregate().snapshotCodec();
 * store.saveSnapshot(new Snapshot("Order", "order_1", 100, codec.fingerprint(), json, Instant.now()));
 * }</pre>
 *
 * @param streamType stream (aggregate) type name
 * @param streamId aggregate id
 * @param version the stream version the state includes
 * @param fingerprint the snapshot codec's schema fingerprint when it was written
 * @param state UTF-8 JSON; callers must not modify it
 * @param takenAt when it was written
 */
public record Snapshot(String streamType, String streamId, long version, long fingerprint, byte[] state, Instant takenAt) {

    /** Checks that nothing is missing and the version is positive. */
    public Snapshot {
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(takenAt, "takenAt");
        if (version <= 0) {
            throw new IllegalArgumentException("snapshot version must be positive: " + version + " for " + streamType + "/" + streamId);
        }
    }
}
