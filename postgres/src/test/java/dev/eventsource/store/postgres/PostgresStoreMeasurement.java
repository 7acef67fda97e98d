package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.AggregateLoad;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the PostgreSQL store against raw JDBC doing the same work in the same run (the machine
 * is shared and noisy: compare the ratios, not the absolute numbers). Not a test; run it with the
 * command in {@code docs/postgres.md}. Uses schema {@code es_measure}, dropped and recreated.
 *
 * <pre>{@code
 * java -cp ... dev.eventsource.store.postgres.PostgresStoreMeasurement [seconds-per-case] [scan-rows]
 * }</pre>
 */
public final class PostgresStoreMeasurement {

    private static final String SCHEMA = "es_measure";
    private static final byte[] PAYLOAD =
            "{\"orderId\":\"order-000042\",\"customerId\":\"customer-17\",\"amount\":99.99,\"currency\":\"EUR\"}"
                    .getBytes(StandardCharsets.UTF_8);
    private static final String RAW_COLUMNS =
            "(position, stream_type, stream_id, version, event_id, event_type, event_version, recorded_at, payload, metadata)";

    private final double seconds;
    private final HikariDataSource pool;
    private final List<PostgresStore> stores = new ArrayList<>();

    private PostgresStoreMeasurement(double seconds, HikariDataSource pool) {
        this.seconds = seconds;
        this.pool = pool;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4;
        int scanRows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        try (HikariDataSource pool = PgTestDatabase.freshSchema(SCHEMA, 12)) {
            PostgresStoreMeasurement measurement = new PostgresStoreMeasurement(seconds, pool);
            try {
                measurement.run(scanRows);
            } finally {
                measurement.stores.forEach(PostgresStore::close);
            }
        }
    }

    private PostgresStore store(String prefix, boolean groupCommit) {
        PostgresStore store = PostgresStore.builder(pool).schema(SCHEMA).tablePrefix(prefix).groupCommit(groupCommit).build();
        store.migrate();
        stores.add(store);
        return store;
    }

    private void run(int scanRows) throws Exception {
        // The raw baseline writes a table of the same shape (same columns, keys and indexes) with the
        // obvious JDBC: one INSERT per row, a sequence for positions, no lock, no version check.
        store("es_", true);
        PgTestDatabase.execute("CREATE TABLE " + SCHEMA + ".raw_events (LIKE " + SCHEMA + ".es_events INCLUDING ALL)",
                "CREATE SEQUENCE " + SCHEMA + ".raw_position");
        System.out.printf("PostgreSQL store measurements, %.0f s per case, %d cores%n", seconds,
                Runtime.getRuntime().availableProcessors());

        report("raw JDBC, 1 row/tx, 1 connection", rawSingleRows(1), "rows/s");
        report("store,    1 event/append, 1 thread", storeAppends(store("a1_", true), 1, 1), "events/s");
        report("raw JDBC, 1 row/tx, 8 connections", rawSingleRows(8), "rows/s");
        // The ceiling for 8 single-event callers whose commits take turns: all 8 events in every commit.
        report("raw JDBC, 8 rows/tx (executeBatch), 1 thread", rawBatches(1, 8), "rows/s");
        for (int threads : new int[] {8, 16, 64}) {
            groupCommit(threads);
        }
        // What the engine does for a command on an aggregate it has not cached: load it, then append.
        PostgresStore loading = store("la8_", true);
        report("store,    load + 1 event/append, 8 threads, group commit", measure(8, t -> loadThenAppend(loading)), "events/s");
        report("store,    1 event/append, 8 threads, no group commit", storeAppends(store("a8n_", false), 8, 1), "events/s");
        PostgresStore processOne = store("a2p_", true);
        PostgresStore processTwo = store("a2p_", true);   // same tables, its own group commit: as another process
        report("store,    1 event/append, 2 stores x 4 threads", measure(8, t -> appender(t < 4 ? processOne : processTwo, t, 1)),
                "events/s");
        report("raw JDBC, 100 rows/tx (executeBatch), 1 thread", rawBatches(1, 100), "rows/s");
        report("store,    100 events/append, 1 thread", storeAppends(store("b1_", true), 1, 100), "events/s");
        report("raw JDBC, 100 rows/tx (executeBatch), 4 threads", rawBatches(4, 100), "rows/s");
        report("store,    100 events/append, 4 threads", storeAppends(store("b4_", true), 4, 100), "events/s");

        PostgresStore scan = store("scan_", true);
        fill(scan, scanRows);
        rawScan(scan.eventsTable());                     // warm-up passes: JIT, caches, server-side prepared statements
        storeScan(scan);
        report("raw JDBC, keyset scan, pages of 1,000", rawScan(scan.eventsTable()), "rows/s");
        report("store,    readLog scan, pages of 1,000", storeScan(scan), "rows/s");
        latency();
    }

    /** Single-event appends from {@code threads} threads through one group-commit store, with the events per commit. */
    private void groupCommit(int threads) throws Exception {
        PostgresStore store = store("g" + threads + "_", true);
        long commits = commits();
        long before = store.headPosition();
        double rate = storeAppends(store, threads, 1);
        double perCommit = (store.headPosition() - before) / (double) Math.max(1, commits() - commits);
        System.out.printf("  %-58s %,12.0f events/s (%.1f events per commit)%n",
                "store,    1 event/append, " + threads + " threads, group commit", rate, perCommit);
    }

    /** Transactions committed in this database so far (the statistics are flushed first). */
    private long commits() throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_force_next_flush()");
            try (ResultSet rs = st.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void report(String what, double rate, String unit) {
        System.out.printf("  %-58s %,12.0f %s%n", what, rate, unit);
    }

    private interface Work {
        /** Does one unit of work; returns how many rows/events it handled. */
        int run() throws Exception;
    }

    /** Runs {@code threads} copies of the work for the configured time; returns items per second. */
    private double measure(int threads, java.util.function.IntFunction<Work> workOf) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        AtomicLong items = new AtomicLong();
        long warmupEnd = System.nanoTime() + (long) (0.5e9);
        long end = warmupEnd + (long) (seconds * 1e9);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Work work = workOf.apply(t);
            futures.add(executor.submit(() -> {
                start.await();
                for (long now; (now = System.nanoTime()) < end; ) {
                    int n = work.run();
                    if (now > warmupEnd) {
                        items.addAndGet(n);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        executor.shutdown();
        return items.get() / seconds;
    }

    private double storeAppends(PostgresStore store, int threads, int perAppend) throws Exception {
        return measure(threads, t -> appender(store, t, perAppend));
    }

    /** Appends {@code perAppend} events at a time to a stream of its own. */
    private static Work appender(PostgresStore store, int thread, int perAppend) {
        String stream = "s-" + thread + "-" + UUID.randomUUID();
        long[] version = {0};
        return () -> {
            List<NewEvent> events = new ArrayList<>(perAppend);
            for (int i = 0; i < perAppend; i++) {
                events.add(new NewEvent(UUID.randomUUID(), "OrderCreated", 1, Instant.now(), PAYLOAD, Map.of()));
            }
            version[0] = store.append("Order", stream, version[0], events).version();
            return perAppend;
        };
    }

    /** Loads a new stream (finding nothing, as for a new aggregate) and appends its first event. */
    private static Work loadThenAppend(PostgresStore store) {
        AggregateLoad ignore = new AggregateLoad() {
            @Override
            public boolean snapshot(Snapshot snapshot) {
                return false;
            }

            @Override
            public void accept(StoredEvent event) {
            }
        };
        return () -> {
            String stream = UUID.randomUUID().toString();
            long version = store.loadAggregate("Order", stream, ignore);
            store.append("Order", stream, version,
                    List.of(new NewEvent(UUID.randomUUID(), "OrderCreated", 1, Instant.now(), PAYLOAD, Map.of())));
            return 1;
        };
    }

    private double rawSingleRows(int threads) throws Exception {
        return rawBatches(threads, 1);
    }

    private double rawBatches(int threads, int rows) throws Exception {
        String sql = "INSERT INTO " + SCHEMA + ".raw_events " + RAW_COLUMNS
                + " VALUES (nextval('" + SCHEMA + ".raw_position'), ?, ?, ?, ?, ?, ?, ?, ?, ?::json)";
        return measure(threads, t -> {
            String stream = "raw-" + t + "-" + UUID.randomUUID();
            long[] version = {0};
            return () -> {
                try (Connection c = pool.getConnection()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = 0; i < rows; i++) {
                            ps.setString(1, "Order");
                            ps.setString(2, stream);
                            ps.setLong(3, ++version[0]);
                            ps.setObject(4, UUID.randomUUID());
                            ps.setString(5, "OrderCreated");
                            ps.setInt(6, 1);
                            ps.setObject(7, OffsetDateTime.now(ZoneOffset.UTC));
                            ps.setBytes(8, PAYLOAD);
                            ps.setString(9, null);
                            if (rows == 1) {
                                ps.executeUpdate();
                            } else {
                                ps.addBatch();
                            }
                        }
                        if (rows > 1) {
                            ps.executeBatch();
                        }
                    }
                    c.commit();
                    c.setAutoCommit(true);
                }
                return rows;
            };
        });
    }

    private void fill(PostgresStore store, int rows) throws SQLException {
        long start = System.nanoTime();
        // Rows of the same shape as appended ones, written in bulk: the scan measures reading.
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + store.eventsTable()
                + " " + RAW_COLUMNS + " SELECT g, 'Order', 'order-' || (g / 10), g % 10 + 1, gen_random_uuid(), 'OrderCreated', 1,"
                + " now(), ?, NULL FROM generate_series(1, ?) g")) {
            ps.setBytes(1, PAYLOAD);
            ps.setInt(2, rows);
            ps.executeUpdate();
        }
        PgTestDatabase.execute("VACUUM ANALYZE " + store.eventsTable());
        System.out.printf("  (filled %,d rows for the scans in %.1f s)%n", rows, (System.nanoTime() - start) / 1e9);
    }

    private double rawScan(String table) throws Exception {
        String sql = "SELECT position, stream_type, stream_id, version, event_id, event_type, event_version, recorded_at,"
                + " payload, metadata FROM " + table + " WHERE position > ? ORDER BY position LIMIT 1000";
        long start = System.nanoTime();
        long rows = 0;
        long position = 0;
        long checksum = 0;
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            while (true) {
                ps.setLong(1, position);
                int page = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        position = rs.getLong(1);
                        checksum += rs.getString(2).length() + rs.getString(3).length() + rs.getLong(4)
                                + rs.getObject(5, UUID.class).hashCode() + rs.getString(6).length() + rs.getInt(7)
                                + rs.getObject(8, OffsetDateTime.class).getNano() + rs.getBytes(9).length
                                + (rs.getString(10) == null ? 0 : 1);
                        page++;
                    }
                }
                rows += page;
                if (page < 1000) {
                    break;
                }
            }
        }
        blackhole(checksum);
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    private static double storeScan(PostgresStore store) {
        long start = System.nanoTime();
        long rows = 0;
        long position = 0;
        long checksum = 0;
        for (List<StoredEvent> batch; !(batch = store.readLog(position, 1_000)).isEmpty(); ) {
            rows += batch.size();
            position = batch.get(batch.size() - 1).globalPosition();
            checksum += batch.get(0).payload().length;
        }
        blackhole(checksum);
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    private static void blackhole(long value) {
        if (value == 42) {
            System.out.print("");
        }
    }

    /** Commit -> onAppend callback: in the appending store itself, and in another store with its own pool (as in another process). */
    private void latency() throws Exception {
        PostgresStore writer = store("lat_", true);
        try (HikariDataSource listenerPool = PgTestDatabase.pool("es_measure_listener", 2);
                PostgresStore other = PostgresStore.builder(listenerPool).schema(SCHEMA).tablePrefix("lat_").build()) {
            latency("same store (in-process signal)", writer, writer, 0);
            latency("another store (LISTEN/NOTIFY)", writer, other, 1_000);
        }
    }

    private static void latency(String what, PostgresStore writer, PostgresStore listening, int streamOffset) throws Exception {
        Map<Long, Long> heardAt = new ConcurrentHashMap<>();
        try (AutoCloseable handle = listening.onAppend(() -> {
            long now = System.nanoTime();
            heardAt.putIfAbsent(listening.headPosition(), now);
        })) {
            Thread.sleep(300);
            int samples = 300;
            long[] afterReturn = new long[samples];
            long[] afterStart = new long[samples];
            for (int i = 0; i < samples; i++) {
                long t0 = System.nanoTime();
                long position = writer.append("Order", "latency-" + streamOffset, i, List.of(event("Pinged", "{}"))).lastPosition();
                long t1 = System.nanoTime();
                Long heard = null;
                for (long deadline = t1 + 1_000_000_000L; heard == null && System.nanoTime() < deadline; ) {
                    heard = heardAt.get(position);
                    Thread.onSpinWait();
                }
                afterReturn[i] = heard == null ? Long.MAX_VALUE : heard - t1;
                afterStart[i] = heard == null ? Long.MAX_VALUE : heard - t0;
                Thread.sleep(5);
            }
            Arrays.sort(afterReturn);
            Arrays.sort(afterStart);
            System.out.printf("  %-58s p50 %6.0f us, p99 %6.0f us (from append() call: p50 %6.0f us)%n",
                    "commit -> onAppend, " + what, afterReturn[samples / 2] / 1e3, afterReturn[samples * 99 / 100] / 1e3,
                    afterStart[samples / 2] / 1e3);
        }
    }
}
