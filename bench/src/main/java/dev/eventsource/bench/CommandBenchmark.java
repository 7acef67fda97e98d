package dev.eventsource.bench;

import dev.eventsource.bench.axon.AxonOrders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Command throughput on one thread, in memory: eventsource-java's {@code Engine.execute} against
 * Axon Framework 4.13 ({@link AxonOrders}) on the same orders domain and the same event payloads.
 * {@link #create} places new orders; {@link #addLine} adds a line to one of {@link #orders} existing
 * orders, round robin, so every call loads an aggregate, validates, records one event and appends
 * it. Each iteration starts from a fresh store holding {@link #orders} orders, so the results do not
 * depend on how long earlier iterations ran; the tear-down checks that no command was lost.
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar CommandBenchmark
 * }</pre>
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class CommandBenchmark {

    /** Implementation under test, see {@link #open}. */
    @Param({RatioTable.OURS, "axon-gateway", "axon-repository"})
    public String impl;

    /** Orders that exist at the start of each iteration and receive {@link #addLine} commands. */
    @Param({"10000"})
    public int orders;

    private OrderCommands system;
    private String[] ids;
    private long created;
    private long lines;

    /** Opens the implementation named by {@code impl}. */
    static OrderCommands open(String impl) {
        return switch (impl) {
            case RatioTable.OURS -> new EngineOrders();
            case "axon-gateway" -> new AxonOrders(AxonOrders.Via.GATEWAY);
            case "axon-repository" -> new AxonOrders(AxonOrders.Via.REPOSITORY);
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
    }

    /** A fresh store with {@link #orders} orders. */
    @Setup(Level.Iteration)
    public void setUp() {
        system = open(impl);
        ids = new String[orders];
        for (int i = 0; i < orders; i++) {
            ids[i] = "order_" + i;
            system.create(ids[i], "customer_" + (i % 100), 10.0);
        }
        created = 0;
        lines = 0;
    }

    /** Checks that the first order holds every line sent to it, then drops the store. */
    @TearDown(Level.Iteration)
    public void tearDown() {
        long expected = lines / orders + (lines % orders > 0 ? 1 : 0);
        int actual = system.lineCount(ids[0]);
        system.close();
        if (actual != expected) {
            throw new IllegalStateException(impl + " lost commands: " + ids[0] + " has " + actual
                    + " lines, expected " + expected);
        }
    }

    /** Places a new order. */
    @Benchmark
    public void create() {
        system.create("new_" + created++, "customer_1", 25.0);
    }

    /** Adds a line to an existing order, round robin over all of them. */
    @Benchmark
    public void addLine() {
        system.addLine(ids[(int) (lines++ % orders)], "sku-1", 1, 2.5);
    }
}
