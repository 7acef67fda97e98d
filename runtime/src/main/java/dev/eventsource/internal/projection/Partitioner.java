package dev.eventsource.internal.projection;

/**
 * Routes a stream id to a partition: {@code partition = (fmix32(streamId.hashCode()) as unsigned) *
 * partitions >>> 32}. {@link String#hashCode()} is specified by the Java Language Specification
 * ({@code s[0]*31^(n-1) + ... + s[n-1]} over UTF-16 chars), so the result never changes between
 * runs, JVMs or versions; MurmurHash3's 32-bit finalizer ({@code fmix32}) spreads similar ids
 * ("order_1", "order_2", ...) evenly; the multiply-shift maps the 32-bit hash onto
 * {@code [0, partitions)} without the bias of a modulo on a power-of-two-unfriendly hash.
 *
 * <p>Every event of one stream id lands in the same partition, which is what keeps one aggregate's
 * events in version order. Thread-safe (pure function).
 *
 * <pre>{@code
 * int partition = Partitioner.partition("order_1", 4);   // always 3
 * }</pre>
 */
public final class Partitioner {

    private Partitioner() {
    }

    /** The partition, in {@code [0, partitions)}, of events of {@code streamId}. */
    public static int partition(String streamId, int partitions) {
        return (int) (((mix(streamId.hashCode()) & 0xFFFF_FFFFL) * partitions) >>> 32);
    }

    /** MurmurHash3's fmix32 finalizer. */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EB_CA6B;
        h ^= h >>> 13;
        h *= 0xC2B2_AE35;
        h ^= h >>> 16;
        return h;
    }
}
