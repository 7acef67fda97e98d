package dev.eventsource.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates UUIDv7 event ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter in
 * {@code rand_a} (method 1, "fixed-length dedicated counter"), then 62 random bits. Ids from one
 * generator are strictly increasing, also within one millisecond and across threads; when more than
 * 4,096 ids are taken in one millisecond the counter carries into the timestamp, which runs ahead of
 * the clock by a fraction of a millisecond until the clock catches up.
 *
 * <p>Thread-safe and lock-free: one CAS on a shared {@code AtomicLong} per id, random bits from
 * {@link ThreadLocalRandom}.
 *
 * <pre>{@code
 * UUID eventId = Uuid7.next();   // 0192f1c4-...-7xxx-...: time-ordered
 * }</pre>
 */
public final class Uuid7 {

    private static final AtomicLong LAST = new AtomicLong();

    private Uuid7() {
    }

    /** The next id. */
    public static UUID next() {
        return next(System.currentTimeMillis());
    }

    /**
     * The next id for an event recorded at {@code epochMillis}: callers that also need the time
     * read the clock once and pass it (a clock read is a system call in some sandboxes).
     */
    public static UUID next(long epochMillis) {
        long candidate = epochMillis << 12;
        long last;
        long next;
        do {
            last = LAST.get();
            next = candidate > last ? candidate : last + 1;
        } while (!LAST.compareAndSet(last, next));
        return of(next, ThreadLocalRandom.current().nextLong());
    }

    /** Builds a UUIDv7 from "milliseconds << 12 | counter" and random bits; visible for tests. */
    static UUID of(long millisAndCounter, long random) {
        long msb = ((millisAndCounter >>> 12) << 16) | 0x7000L | (millisAndCounter & 0xFFFL);
        long lsb = (random & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The Unix milliseconds stored in a UUIDv7. */
    public static long millis(UUID uuid) {
        return uuid.getMostSignificantBits() >>> 16;
    }
}
