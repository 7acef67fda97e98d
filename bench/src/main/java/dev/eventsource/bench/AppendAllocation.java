package dev.eventsource.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.AppendEvents;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.postgres.PostgresStore;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bytes allocated by the calling thread per {@code append} of one event whose (stream type, event
 * type, version) is already stored, and appends/s: what JMH's allocation profiler is too coarse to
 * show for a few bytes. Not JMH; run from a source file so it also runs against an older jar:
 *
 * <pre>{@code
 * // java -cp <benchmarks.jar> bench/src/main/java/dev/eventsource/bench/AppendAllocation.java memory
 * // java -cp <benchmarks.jar> bench/src/main/java/dev/eventsource/bench/AppendAllocation.java postgres
 * AppendAllocation.main(new String[] {"memory"});
 * }</pre>
 *
 * <p>{@code postgres} uses {@code EVENTSOURCE_PG_URL}, drops and recreates schema
 * {@code bench_alloc}, and appends alone (group commit and notifications off) over a HikariCP pool
 * of 2. One thread.
 */
public final class AppendAllocation {

    private AppendAllocation() {
    }

    public static void main(String[] args) throws SQLException {
        boolean postgres = args.length > 0 && args[0].equals("postgres");
        HikariDataSource pool = null;
        AppendEvents store;
        if (postgres) {
            pool = new HikariDataSource();
            pool.setJdbcUrl(System.getenv().getOrDefault("EVENTSOURCE_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
            pool.setMaximumPoolSize(2);
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS bench_alloc CASCADE");
            }
            store = PostgresStore.builder(pool).schema("bench_alloc").groupCommit(false).notifications(false).build();
        } else {
            store = new InMemoryStore();
        }
        int n = postgres ? 10_000 : 1_000_000;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        Instant at = Instant.now();
        long[] versions = new long[1_000];
        String[] ids = new String[versions.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "o" + i;
        }
        for (int round = 0; round < 4; round++) {
            long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            long began = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int s = i % ids.length;
                NewEvent e = new NewEvent(UUID.randomUUID(), "OrderCreated", 1, at, payload, Map.of());
                versions[s] = store.append("Order", ids[s], versions[s], List.of(e)).version();
            }
            long took = System.nanoTime() - began;
            long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            System.out.printf("round %d: %.1f bytes/append, %.0f appends/s%n", round, allocated / (double) n, n / (took / 1e9));
        }
        if (pool != null) {
            ((PostgresStore) store).close();
            pool.close();
        }
    }
}
