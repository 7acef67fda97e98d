package dev.eventsource.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import dev.eventsource.store.postgres.PostgresStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Append throughput of several application processes on one PostgreSQL log against one process
 * with as many threads: every process runs its own engine and {@code PostgresStore} (group commit
 * on), and its threads place one-event orders for a fixed time. Group commit can merge appends
 * only within a process; across processes the appends take turns on the log head. Prints the
 * orders per second of every process and of all together.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.eventsource.bench.ClusterAppends 2 4 10   # 2 processes x 4 threads, 10 s
 * java -cp bench/target/benchmarks.jar dev.eventsource.bench.ClusterAppends 1 8 10
 * }</pre>
 *
 * <p>Arguments: processes, threads per process, seconds. The database comes from
 * {@code EVENTSOURCE_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres});
 * the schema {@value #SCHEMA} is dropped and recreated.
 */
public final class ClusterAppends {

    static final String SCHEMA = "bench_cluster";

    private ClusterAppends() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("--worker")) {
            worker(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
            return;
        }
        int processes = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        try (HikariDataSource pool = pool(2)) {
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + SCHEMA + " cascade");
                st.execute("create schema " + SCHEMA);
            }
            try (PostgresStore store = PostgresStore.builder(pool).schema(SCHEMA).build()) {
                store.migrate();
            }
        }
        // Every worker starts placing orders at the same wall-clock moment, after its JVM and engine are up.
        long startAt = System.currentTimeMillis() + 3_000;
        List<Process> workers = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            workers.add(new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ClusterAppends.class.getName(), "--worker", "p" + p,
                    Integer.toString(threads), Integer.toString(seconds), Long.toString(startAt))
                    .redirectErrorStream(true).start());
        }
        double total = 0;
        for (Process w : workers) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(w.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("orders/s ")) {
                        total += Double.parseDouble(line.substring("orders/s ".length()).trim());
                    }
                    System.out.println(line);
                }
            }
            if (w.waitFor() != 0) {
                throw new IllegalStateException("a worker failed with status " + w.exitValue());
            }
        }
        System.out.printf(Locale.ROOT, "%d process(es) x %d threads: %.0f orders/s together%n", processes, threads, total);
    }

    private static void worker(String name, int threads, int seconds, long startAt) throws Exception {
        try (HikariDataSource pool = pool(threads + 2);
                PostgresStore store = PostgresStore.builder(pool).schema(SCHEMA).build();
                Engine engine = Engine.builder().store(store).instanceId(name).build()) {
            engine.registerAggregate(Order.class);
            engine.start();
            LongAdder placed = new LongAdder();
            long endAt = startAt + seconds * 1_000L;
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String prefix = name + "-t" + t + "-";
                Thread thread = new Thread(() -> {
                    for (long n = 0; System.currentTimeMillis() < endAt; n++) {
                        String id = prefix + n;
                        engine.execute(Order.class, id, new CreateOrder(id, "customer", 10.0));
                        if (System.currentTimeMillis() >= startAt) {
                            placed.increment();
                        }
                    }
                }, "orders-" + t);
                running.add(thread);
            }
            Thread.sleep(Math.max(0, startAt - System.currentTimeMillis() - 500));
            running.forEach(Thread::start);
            for (Thread thread : running) {
                thread.join();
            }
            System.out.printf(Locale.ROOT, "%s: %d orders in %d s%norders/s %.1f%n", name, placed.sum(), seconds,
                    placed.sum() / (double) seconds);
        }
    }

    private static HikariDataSource pool(int size) {
        return PgBench.pool(size);
    }
}
