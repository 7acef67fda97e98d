package dev.eventsource.sample;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Console progress for the scenario's phases: a phase that runs longer than a second prints a line
 * about once a second, so the user always sees that something happens.
 *
 * <pre>{@code
 * Progress.Phase phase = progress.start("placing orders", 5_000);
 * for (...) { ...; phase.step(); }
 * Duration took = phase.done();
 * }</pre>
 *
 * <p>A phase is driven by one thread at a time ({@link Phase#step()} may be called from several
 * threads; then lines may come slightly late, never wrong).
 */
public final class Progress {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final PrintStream out;

    /** Progress printed to {@code out}; {@code null} prints nothing. */
    public Progress(PrintStream out) {
        this.out = out;
    }

    /** Starts timing a phase of {@code total} steps ({@code 0} when unknown). */
    public Phase start(String name, long total) {
        return new Phase(name, total);
    }

    /** Prints one line, when printing at all. */
    public void println(String line) {
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }

    /** One timed phase; see {@link Progress}. */
    public final class Phase {

        private final String name;
        private final long total;
        private final long startNanos = System.nanoTime();
        private final AtomicLong done = new AtomicLong();
        private volatile long nextPrintNanos = startNanos + INTERVAL_NANOS;

        private Phase(String name, long total) {
            this.name = name;
            this.total = total;
        }

        /** Counts one step and prints a progress line if a second has passed since the last one. */
        public void step() {
            long n = done.incrementAndGet();
            long now = System.nanoTime();
            if (now >= nextPrintNanos) {
                nextPrintNanos = now + INTERVAL_NANOS;
                String of = total > 0 ? String.format(Locale.ROOT, " / %,d", total) : "";
                println(String.format(Locale.ROOT, "  ... %s: %,d%s (%.1f s)", name, n, of, seconds(now)));
            }
        }

        /** Ends the phase; returns its duration in nanoseconds, printing it if it was long. */
        public long done() {
            long nanos = System.nanoTime() - startNanos;
            if (nanos > INTERVAL_NANOS) {
                println(String.format(Locale.ROOT, "  ... %s: done in %.1f s", name, nanos / 1e9));
            }
            return nanos;
        }

        private double seconds(long now) {
            return (now - startNanos) / 1e9;
        }
    }
}
