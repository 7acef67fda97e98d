package dev.eventsource.internal.projection;

import dev.eventsource.EventEnvelope;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.DeadLetter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Handling one event with retries and backoff, and what is recorded when it keeps failing. */
final class Delivery {

    private Delivery() {
    }

    /**
     * Tries {@code target.handle(event)} up to {@code options.maxAttempts()} times, waiting with
     * exponential backoff between tries.
     *
     * @return {@code null} once it succeeded, else the last failure
     * @throws InterruptedException when {@code stopping} turned true (the event is left unhandled)
     */
    static Throwable handle(Target target, EventEnvelope<?> event, StreamOptions options, BooleanSupplier stopping)
            throws InterruptedException {
        Throwable failure = null;
        for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
            if (attempt > 1) {
                sleep(backoffNanos(options, attempt - 1));
            }
            try {
                target.handle(event, null);
                return null;
            } catch (Throwable t) {
                rethrowFatal(t);
                failure = t;
            }
            if (stopping.getAsBoolean()) {
                throw new InterruptedException("stopping");
            }
        }
        return failure;
    }

    /** The wait after {@code failedAttempts} failed tries: backoff, doubled each time, capped. */
    static long backoffNanos(StreamOptions options, int failedAttempts) {
        long base = options.backoff().toNanos();
        long max = options.maxBackoff().toNanos();
        int shift = Math.min(failedAttempts - 1, 30);
        long wait = base << shift;
        return wait >>> shift != base || wait > max ? max : wait;
    }

    static void sleep(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }

    /** Errors the JVM cannot recover from are never treated as a projection's failure. */
    static void rethrowFatal(Throwable t) {
        if (t instanceof VirtualMachineError e) {
            throw e;
        }
    }

    static DeadLetter deadLetter(String projection, int partition, EventEnvelope<?> e, int attempts, Throwable error,
            Clock clock) {
        return deadLetter(projection, partition, e.globalPosition(), e.streamType(), e.streamId(), e.version(),
                e.eventType(), attempts, error, clock);
    }

    static DeadLetter deadLetter(String projection, int partition, long position, String streamType, String streamId,
            long version, String eventType, int attempts, Throwable error, Clock clock) {
        return new DeadLetter(projection, partition, position, streamType, streamId, version, eventType, attempts,
                stackTrace(error), clock.instant());
    }

    static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
