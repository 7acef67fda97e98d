package dev.eventsource.internal.projection;

import dev.eventsource.store.LeaseLostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an asynchronous projection outlasts a store outage: a failed store operation is logged (the
 * first failure and every 20th) and tried again after a backoff of 50 ms, doubled after each further
 * failure up to 3.2 s, until it succeeds. A store outage delays the projection, never loses or skips
 * an event. A {@link LeaseLostException} is no outage: it is thrown at once (the partition is owned
 * elsewhere now, and trying again cannot succeed).
 *
 * <p>Thread-safe: it keeps no state of its own; the reader and every partition worker of one
 * projection share one instance. It logs under {@link AsyncProjection}'s logger, which the
 * operations guide lists.
 *
 * <pre>{@code
 * StoreRetry retry = new StoreRetry("orders", projection);   // projection: is it stopping?
 * retry.run(() -> store.saveCheckpoint("orders", 0, 42), "save checkpoint 42 of partition 0");
 * }</pre>
 */
final class StoreRetry {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncProjection.class);
    private static final long MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String projection;
    private final BooleanSupplier stopping;

    /** Retries for {@code projection} (its name, for the log), until {@code stopping} turns true. */
    StoreRetry(String projection, BooleanSupplier stopping) {
        this.projection = projection;
        this.stopping = stopping;
    }

    /**
     * Runs a store operation until it succeeds, parking between attempts.
     *
     * @param what what the operation does, for the log ("save checkpoint 7 of partition 0")
     * @throws StopSignal when an attempt failed after the projection was asked to stop
     * @throws LeaseLostException at once, when a fenced write was refused
     */
    void run(Runnable operation, String what) {
        for (int failures = 1; ; failures++) {
            try {
                operation.run();
                return;
            } catch (LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                log(what, failures, e);
                if (stopping.getAsBoolean()) {
                    throw new StopSignal();
                }
                LockSupport.parkNanos(delayNanos(failures));
            }
        }
    }

    /**
     * Logs the {@code failures}-th failure in a row of an operation its caller retries itself, then
     * waits the backoff before the caller's next attempt.
     *
     * @throws InterruptedException when the waiting thread is interrupted (the projection stops)
     */
    void backOff(String what, int failures, RuntimeException e) throws InterruptedException {
        log(what, failures, e);
        Delivery.sleep(delayNanos(failures));
    }

    /**
     * Logs the {@code failures}-th failure in a row of an operation its caller retries on its own
     * schedule (the lease thread, which must not sleep on one projection while others wait).
     */
    void log(String what, int failures, RuntimeException e) {
        if (failures == 1 || failures % 20 == 0) {
            LOG.warn("projection {}: cannot {} ({} failures in a row); retrying", projection, what, failures, e);
        }
    }

    /** The wait after {@code failures} failures in a row: 50 ms, doubled after each further one, at most 3.2 s. */
    static long delayNanos(int failures) {
        return Math.min(MIN_NANOS << Math.min(failures - 1, 6), MAX_NANOS);
    }

    /** Unwinds a partition worker whose store retry was cut short because the projection stops. */
    static final class StopSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopSignal() {
            super("stopping", null, false, false);
        }
    }
}
