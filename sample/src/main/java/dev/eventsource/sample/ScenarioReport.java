package dev.eventsource.sample;

import dev.eventsource.ProjectionStatus;
import dev.eventsource.sample.readmodel.OrderSummary;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Scenario} did and found: counts, timings and the result of every consistency check,
 * printable as a readable report. {@link #failures()} lists every broken invariant; a correct run has
 * none.
 *
 * <pre>{@code
 * ScenarioReport report = new Scenario(store, Scenario.Settings.defaults(), progress).run();
 * report.print(System.out);
 * if (!report.failures().isEmpty()) System.exit(1);
 * }</pre>
 *
 * <p>Filled in by the scenario's thread, read after {@link Scenario#run()} returns.
 */
public final class ScenarioReport {

    /**
     * One timed phase.
     *
     * @param name what the phase did
     * @param nanos how long it took
     * @param commands commands executed in it, accepted or rejected ({@code 0} if it ran none)
     */
    public record Phase(String name, long nanos, long commands) {

        /** Commands per second, or {@code 0} when the phase ran none. */
        public double commandsPerSecond() {
            return commands == 0 ? 0 : commands / (nanos / 1e9);
        }
    }

    /**
     * Concurrent commands on one order.
     *
     * @param orderId the order
     * @param threads threads sending commands
     * @param commands commands that succeeded, all of them in the end
     * @param attempts times a command's {@code perform} ran, retries included
     * @param gaveUp {@code ConcurrencyException}s the callers got after the engine's retries ran out
     *     (each was sent again)
     * @param finalLines lines on the order afterwards; must equal {@code commands}
     * @param finalVersion the order's version afterwards
     */
    public record Concurrency(String orderId, int threads, long commands, long attempts, long gaveUp,
                              long finalLines, long finalVersion) {
    }

    /**
     * A projection rebuild.
     *
     * @param nanos time to reset and replay
     * @param events events in the log when it ran
     * @param before the live projection's totals
     * @param after the totals after the rebuild; must equal {@code before}
     */
    public record Rebuild(long nanos, long events, OrderSummary.Totals before, OrderSummary.Totals after) {

        /** Replayed events per second. */
        public double eventsPerSecond() {
            return events / (nanos / 1e9);
        }
    }

    /**
     * Loading one order from its snapshot versus replaying its whole stream.
     *
     * @param orderId the order
     * @param snapshotVersion version of the newest snapshot
     * @param version the order's version when loaded
     * @param snapshotLoadNanos load time using the snapshot (cold engine)
     * @param replayNanos load time replaying every event (cold engine, snapshots hidden)
     * @param sameState whether both loads produced the same state
     */
    /**
     * What the loyalty reaction did: awards appended, payments that earned nothing, and, after it
     * was rebuilt (every payment delivered again), how many of its commands were duplicates and how
     * many events that appended.
     */
    public record Reaction(long awarded, long rejected, long expectedAwards, long redelivered, long appendedByRedelivery) {
    }

    public record SnapshotLoad(String orderId, long snapshotVersion, long version, long snapshotLoadNanos,
                               long replayNanos, boolean sameState) {
    }

    String backend = "";
    Scenario.Settings settings;
    final List<Phase> phases = new ArrayList<>();
    final Map<String, Long> counts = new LinkedHashMap<>();
    long accepted;
    long rejected;
    final Tally rejectedByCommand = new Tally();
    long invalidSent;
    long invalidRejected;
    final Tally invalidByCommand = new Tally();
    Concurrency concurrency;
    OrderSummary.Totals summary;
    OrderSummary.Totals truth;
    Map<String, Long> board = Map.of();
    Map<String, Long> boardTruth = Map.of();
    Map<String, Long> orderTable;
    List<ProjectionStatus> projections = List.of();
    long[] checkouts = {0, 0};
    Rebuild rebuild;
    Reaction reaction;
    SnapshotLoad snapshot;
    long events;
    final List<String> failures = new ArrayList<>();

    ScenarioReport() {
    }

    /** Which store the scenario ran on. */
    public String backend() {
        return backend;
    }

    /** The timed phases, in order. */
    public List<Phase> phases() {
        return List.copyOf(phases);
    }

    /** Business counts: customers, orders placed, paid, cancelled, ... */
    public Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    /** Commands the engine accepted (including no-ops that recorded nothing). */
    public long accepted() {
        return accepted;
    }

    /** Commands rejected by validation, expected by the business rules. */
    public long rejected() {
        return rejected;
    }

    /** Deliberately invalid commands sent, and how many of them were rejected (must be all). */
    public long[] invalid() {
        return new long[] {invalidSent, invalidRejected};
    }

    /** The concurrent-commands result. */
    public Concurrency concurrency() {
        return concurrency;
    }

    /** The rebuild result. */
    public Rebuild rebuild() {
        return rebuild;
    }

    /** The snapshot-load result. */
    public SnapshotLoad snapshot() {
        return snapshot;
    }

    /** What the loyalty reaction did, live and when every payment was delivered to it again. */
    public Reaction reaction() {
        return reaction;
    }

    /** Events in the store at the end. */
    public long events() {
        return events;
    }

    /** Every broken invariant, as a sentence; empty for a correct run. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Rejections counted by command type, with the first message of each as an example. */
    static final class Tally {
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final Map<String, String> examples = new LinkedHashMap<>();

        void add(String command, String message) {
            counts.merge(command, 1L, Long::sum);
            examples.putIfAbsent(command, message);
        }

        void print(PrintStream out) {
            counts.forEach((k, v) -> out.printf(Locale.ROOT, "  %-20s %,8d  e.g. \"%s\"%n", k, v, examples.get(k)));
        }
    }

    void check(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
        }
    }

    /** Prints the report. */
    public void print(PrintStream out) {
        out.println();
        out.println("=== eventsource-java orders sample: report ===");
        out.printf(Locale.ROOT, "store: %s; settings: %s%n", backend, settings);
        out.println();
        out.println("Phases                                        time      commands    commands/s");
        long totalNanos = 0;
        long totalCommands = 0;
        for (Phase p : phases) {
            out.printf(Locale.ROOT, "  %-38s %8.3f s %,12d %,12.0f%n", p.name(), p.nanos() / 1e9, p.commands(),
                    p.commandsPerSecond());
            if (p.commands() > 0) {
                totalNanos += p.nanos();
                totalCommands += p.commands();
            }
        }
        out.printf(Locale.ROOT, "  %-38s %8.3f s %,12d %,12.0f%n", "all command phases", totalNanos / 1e9,
                totalCommands, totalCommands == 0 ? 0 : totalCommands / (totalNanos / 1e9));
        out.println();
        out.println("Business");
        counts.forEach((k, v) -> out.printf(Locale.ROOT, "  %-38s %,12d%n", k, v));
        out.printf(Locale.ROOT, "  %-38s %,12d%n", "events in the store", events);
        out.println();
        out.printf(Locale.ROOT, "Commands: %,d accepted, %,d rejected by the business rules%n", accepted, rejected);
        rejectedByCommand.print(out);
        out.printf(Locale.ROOT, "Deliberately invalid commands: %,d sent, %,d rejected%n", invalidSent, invalidRejected);
        invalidByCommand.print(out);
        out.println();
        if (concurrency != null) {
            Concurrency c = concurrency;
            out.printf(Locale.ROOT, "Concurrency: %d threads x %,d AddOrderLine on %s%n", c.threads(),
                    c.commands() / Math.max(1, c.threads()), c.orderId());
            out.printf(Locale.ROOT, "  %,d commands succeeded after %,d attempts: %,d conflicts retried by the engine, "
                    + "%,d ConcurrencyExceptions resent by callers%n", c.commands(), c.attempts(),
                    c.attempts() - c.commands(), c.gaveUp());
            out.printf(Locale.ROOT, "  final state: %,d lines, version %,d (expected %,d lines) %s%n", c.finalLines(),
                    c.finalVersion(), c.commands(), c.finalLines() == c.commands() ? "OK" : "MISMATCH");
            out.println();
        }
        out.println("Projections");
        out.printf(Locale.ROOT, "  order-summary (async, 4 partitions): %s%n", summary);
        out.printf(Locale.ROOT, "  replayed from the aggregates:          %s %s%n", truth,
                Objects.equals(summary, truth) ? "OK" : "MISMATCH");
        out.printf(Locale.ROOT, "  order-status-board (inline): %s %s%n", board, board.equals(boardTruth) ? "OK" : "MISMATCH");
        if (orderTable != null) {
            out.printf(Locale.ROOT, "  order-table (transactional SQL):  %s %s%n", orderTable,
                    orderTable.equals(boardTruth) ? "OK" : "MISMATCH");
        }
        out.printf(Locale.ROOT, "  checkout-log (async, @Apply with EventEnvelope): %,d orders carried checkout metadata, "
                + "%,d did not%n", checkouts[0], checkouts[1]);
        out.println("  engine.projectionStatus():");
        for (ProjectionStatus p : projections) {
            out.printf(Locale.ROOT, "    %-20s %-10s partition %d at position %,d, %d dead letters%s%n", p.projection(),
                    p.inline() ? "(inline)" : p.stream(), p.partition(), p.position(), p.deadLetters(),
                    p.stopped() ? ", STOPPED: " + p.failure() : "");
        }
        if (rebuild != null) {
            out.printf(Locale.ROOT, "  rebuild of order-summary: %,d events in %.3f s (%,.0f events/s), equal to live: %s%n",
                    rebuild.events(), rebuild.nanos() / 1e9, rebuild.eventsPerSecond(),
                    rebuild.before().equals(rebuild.after()) ? "yes" : "NO");
        }
        if (reaction != null) {
            Reaction r = reaction;
            out.printf(Locale.ROOT, "  loyalty-on-payment (a reaction: OrderPaid -> AwardPoints on the customer): %,d awards"
                    + " (expected %,d), %,d payments under 1.00 earned nothing%n", r.awarded(), r.expectedAwards(),
                    r.rejected());
            out.printf(Locale.ROOT, "  rebuilt (every payment delivered again): %,d commands were duplicates, %,d events"
                    + " appended %s%n", r.redelivered(), r.appendedByRedelivery(), r.appendedByRedelivery() == 0 ? "OK" : "MISMATCH");
        }
        out.println();
        if (snapshot != null) {
            SnapshotLoad s = snapshot;
            out.printf(Locale.ROOT, "Snapshot: %s at version %,d has a snapshot at version %,d%n", s.orderId(), s.version(),
                    s.snapshotVersion());
            out.printf(Locale.ROOT, "  load from snapshot + %,d events: %.2f ms; full replay of %,d events: %.2f ms; "
                    + "same state: %s%n", s.version() - s.snapshotVersion(), s.snapshotLoadNanos() / 1e6, s.version(),
                    s.replayNanos() / 1e6, s.sameState() ? "yes" : "NO");
            out.println();
        }
        if (failures.isEmpty()) {
            out.println("All invariants hold.");
        } else {
            out.println("BROKEN INVARIANTS:");
            failures.forEach(f -> out.println("  - " + f));
        }
    }
}
