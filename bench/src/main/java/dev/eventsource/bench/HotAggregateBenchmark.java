package dev.eventsource.bench;

import dev.eventsource.Engine;
import dev.eventsource.EngineObserver;
import dev.eventsource.sample.order.AddOrderLine;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import dev.eventsource.store.ConcurrencyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * ONE HOT AGGREGATE ON POSTGRESQL: {@code threads} threads (default 8) execute one-event
 * {@code AddOrderLine} commands on the same order through one engine, for a fixed time, and the harness
 * counts the commands that succeeded and those that failed with {@link ConcurrencyException} (the
 * engine gave up after its retries). Variants, each on a new order and a new engine over the same store:
 * <ul>
 *   <li>{@code engine}: the engine's defaults (3 retries), no lock: what the rewrite must make
 *       conflict-free;</li>
 *   <li>{@code app-lock}, the baseline: the same engine, each command inside a {@code synchronized}
 *       block on a per-aggregate lock object, as an application would serialize a hot aggregate itself
 *       (one command at a time, so no conflict and no retry);</li>
 *   <li>{@code engine-retries-50}: no lock, {@code maxRetries(50)};</li>
 *   <li>{@code engine-combined}: no lock, {@code combineQueuedCommands(true)} (the queued commands run on the
 *       thread that holds the aggregate).</li>
 * </ul>
 * Each variant runs a warm-up (not counted) and then the measured time; rounds repeat the three
 * variants, so each ratio {@code engine / app-lock} pairs numbers taken seconds apart. Prints
 * successful commands/s, the share of commands that failed, the commands each append carried on
 * average (warm-up included; from an {@link EngineObserver}), and the ratios.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.eventsource.bench.HotAggregateBenchmark [seconds=10] [rounds=2] [threads=8] [warmup-seconds=3]
 * }</pre>
 *
 * <p>A main class rather than JMH: the result is two numbers per variant (throughput and the share of
 * failed commands, which JMH's primary score cannot carry) and the pair must run back to back in one
 * JVM on one store. Schema {@value #SCHEMA} at {@code EVENTSOURCE_PG_URL}, dropped at the end.
 */
public final class HotAggregateBenchmark {

    static final String SCHEMA = "bench_hot";

    private HotAggregateBenchmark() {
    }

    /** What one variant measured. */
    record Outcome(String variant, long succeeded, long conflicts, long otherFailures, double seconds) {

        double perSecond() {
            return succeeded / seconds;
        }

        double failedShare() {
            long all = succeeded + conflicts + otherFailures;
            return all == 0 ? 0 : (conflicts + otherFailures) / (double) all;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        System.out.printf(Locale.ROOT, "hot aggregate: %d threads, %d s (+%d s warm-up) per variant, %d rounds%n",
                threads, seconds, warmup, rounds);
        List<double[]> ratios = new ArrayList<>();
        try (PgBench pg = PgBench.open(SCHEMA, threads * 2)) {
            for (int round = 1; round <= rounds; round++) {
                Outcome engine = run(pg, "engine", UnaryOperator.identity(), false, round, threads, warmup, seconds);
                Outcome locked = run(pg, "app-lock", UnaryOperator.identity(), true, round, threads, warmup, seconds);
                Outcome retries = run(pg, "engine-retries-50", b -> b.maxRetries(50), false, round, threads, warmup, seconds);
                Outcome combined = run(pg, "engine-combined", b -> b.combineQueuedCommands(true), false, round, threads,
                        warmup, seconds);
                ratios.add(new double[] {engine.perSecond() / locked.perSecond(), retries.perSecond() / locked.perSecond(),
                        combined.perSecond() / locked.perSecond()});
                System.out.printf(Locale.ROOT, "round %d: engine / app-lock = %.2fx, engine-retries-50 / app-lock = %.2fx,"
                        + " engine-combined / app-lock = %.2fx%n", round, ratios.get(round - 1)[0], ratios.get(round - 1)[1],
                        ratios.get(round - 1)[2]);
            }
        }
    }

    private static Outcome run(PgBench pg, String variant, UnaryOperator<Engine.Builder> options, boolean lock, int round,
            int threads, int warmupSeconds, int seconds) throws InterruptedException {
        String id = "hot_" + variant + "_" + round;
        Object aggregateLock = new Object();
        LongAdder succeeded = new LongAdder();
        LongAdder conflicts = new LongAdder();
        LongAdder others = new LongAdder();
        AtomicReference<RuntimeException> firstOther = new AtomicReference<>();
        LongAdder appends = new LongAdder();
        LongAdder appendedCommands = new LongAdder();
        EngineObserver batches = new EngineObserver() {
            @Override
            public void appended(String streamType, String aggregateId, int commands, int events) {
                appends.increment();
                appendedCommands.add(commands);
            }
        };
        try (Engine engine = pg.engine(b -> options.apply(b).observer(batches))) {
            engine.execute(Order.class, id, new CreateOrder(id, "c_1", 10.0));
            long start = System.nanoTime();
            long measureFrom = start + warmupSeconds * 1_000_000_000L;
            long end = measureFrom + seconds * 1_000_000_000L;
            AddOrderLine command = new AddOrderLine("sku-1", 1, 2.5);
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> {
                    for (long began = System.nanoTime(); began < end; began = System.nanoTime()) {
                        boolean counted = began >= measureFrom;
                        try {
                            if (lock) {
                                synchronized (aggregateLock) {
                                    engine.execute(Order.class, id, command);
                                }
                            } else {
                                engine.execute(Order.class, id, command);
                            }
                            if (counted) {
                                succeeded.increment();
                            }
                        } catch (ConcurrencyException e) {
                            if (counted) {
                                conflicts.increment();
                            }
                        } catch (RuntimeException e) {
                            firstOther.compareAndSet(null, e);
                            if (counted) {
                                others.increment();
                            }
                        }
                    }
                }, variant + "-" + t);
                running.add(thread);
                thread.start();
            }
            for (Thread thread : running) {
                thread.join();
            }
        }
        Outcome o = new Outcome(variant, succeeded.sum(), conflicts.sum(), others.sum(), seconds);
        System.out.printf(Locale.ROOT, "round %d %-18s %8.0f commands/s  failed %5.1f%% (%d conflicts, %d other)  of %d;"
                + " %.1f commands per append%n", round, o.variant(), o.perSecond(), 100 * o.failedShare(), o.conflicts(),
                o.otherFailures(), o.succeeded() + o.conflicts() + o.otherFailures(),
                appendedCommands.sum() / (double) Math.max(1, appends.sum()));
        if (firstOther.get() != null) {
            System.out.println("  first other failure: " + firstOther.get());
        }
        return o;
    }
}
