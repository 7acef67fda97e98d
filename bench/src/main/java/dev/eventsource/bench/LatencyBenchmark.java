package dev.eventsource.bench;

import dev.eventsource.Engine;
import dev.eventsource.sample.order.AddOrderLine;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * COMMAND LATENCY ON POSTGRESQL AT FIXED OFFERED LOADS (open loop): for each offered load (default
 * 1,000, 2,000 and 4,000 commands/s), 8 threads share it equally; each thread schedules its commands at
 * fixed intervals ({@code threads / load} seconds apart, the threads staggered) and a command's latency
 * is its completion time minus its <em>intended</em> start, so a command that waits behind a slow one
 * counts its wait (no coordinated omission). Every load runs a warm-up that is not recorded (the first
 * load a longer one, default 20 s, for the JIT, the pool and the server's prepared statements), then
 * the measured time; prints p50, p99, p99.9 and max latency and the achieved throughput. When the engine
 * cannot keep up, latencies grow with the backlog, which is the point; a thread stops
 * {@value #GRACE_SECONDS} s after the end even if behind and the commands it never started are reported
 * as {@code not started}.
 *
 * <p>Commands ({@code mode}): {@code create} (default), a {@code CreateOrder} on a new order each (new
 * aggregates); {@code add-line}, an {@code AddOrderLine} round robin over {@value #POOL} orders created
 * first, each thread on its own share of them (cached aggregates, no conflicts between threads). One
 * engine with default settings over a {@code PostgresStore} with default settings; schema
 * {@value #SCHEMA} at {@code EVENTSOURCE_PG_URL}, dropped at the end.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.eventsource.bench.LatencyBenchmark [mode=create] [seconds=20] [warmup-seconds=5] [loads=1000,2000,4000] [first-warmup-seconds=20]
 * }</pre>
 */
public final class LatencyBenchmark {

    static final String SCHEMA = "bench_latency";
    static final int THREADS = 8;
    static final int POOL = 1_000;
    static final int GRACE_SECONDS = 10;

    private LatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "create";
        if (!mode.equals("create") && !mode.equals("add-line")) {
            throw new IllegalArgumentException("mode must be create or add-line: " + mode);
        }
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int[] loads = Arrays.stream((args.length > 3 ? args[3] : "1000,2000,4000").split(",")).mapToInt(Integer::parseInt).toArray();
        int firstWarmup = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        System.out.printf(Locale.ROOT, "open loop, %s, %d threads, %d s measured after %d s warm-up per load (%d s before the first)%n",
                mode, THREADS, seconds, warmup, firstWarmup);
        System.out.println("| offered (commands/s) | achieved (commands/s) | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | not started |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        AtomicLong nextId = new AtomicLong();
        try (PgBench pg = PgBench.open(SCHEMA, THREADS * 2); Engine engine = pg.engine()) {
            if (mode.equals("add-line")) {
                for (int o = 0; o < POOL; o++) {
                    engine.execute(Order.class, "order_" + o, new CreateOrder("order_" + o, "c_1", 10.0));
                }
            }
            boolean first = true;
            for (int load : loads) {
                Command command = mode.equals("create")
                        ? (thread, n) -> {
                            String id = "new_" + nextId.incrementAndGet();
                            engine.execute(Order.class, id, new CreateOrder(id, "c_1", 10.0));
                        }
                        : (thread, n) -> engine.execute(Order.class, "order_" + ((n * THREADS + thread) % POOL),
                                new AddOrderLine("sku-1", 1, 2.5));
                run(load, first ? firstWarmup : warmup, command, false);
                first = false;
                System.out.println(run(load, seconds, command, true));
            }
        }
    }

    /** One command of thread {@code thread}, its {@code n}th. */
    interface Command {
        void run(int thread, long n);
    }

    private static String run(int load, int seconds, Command command, boolean record) throws InterruptedException {
        long interval = THREADS * 1_000_000_000L / load;
        int perThread = (int) ((long) load * seconds / THREADS);
        long[][] latencies = new long[THREADS][perThread];
        int[] done = new int[THREADS];
        long start = System.nanoTime() + 50_000_000L;
        long giveUp = start + (seconds + GRACE_SECONDS) * 1_000_000_000L;
        long[] lastCompletion = new long[THREADS];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                long offset = start + thread * interval / THREADS;
                for (int n = 0; n < perThread; n++) {
                    long intended = offset + n * interval;
                    for (long now = System.nanoTime(); now < intended; now = System.nanoTime()) {
                        LockSupport.parkNanos(intended - now);
                    }
                    if (System.nanoTime() > giveUp) {
                        break;
                    }
                    command.run(thread, n);
                    long completed = System.nanoTime();
                    latencies[thread][n] = completed - intended;
                    lastCompletion[thread] = completed;
                    done[thread] = n + 1;
                }
            }, "latency-" + t);
            threads.add(worker);
            worker.start();
        }
        for (Thread worker : threads) {
            worker.join();
        }
        if (!record) {
            return "";
        }
        int total = Arrays.stream(done).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < THREADS; t++) {
            System.arraycopy(latencies[t], 0, all, at, done[t]);
            at += done[t];
        }
        Arrays.sort(all);
        double elapsed = (Arrays.stream(lastCompletion).max().orElse(start) - start) / 1e9;
        return String.format(Locale.ROOT, "| %,d | %,.0f | %s | %s | %s | %s | %d |", load, total / elapsed,
                ms(percentile(all, 0.50)), ms(percentile(all, 0.99)), ms(percentile(all, 0.999)), ms(all[all.length - 1]),
                (long) perThread * THREADS - total);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }
}
