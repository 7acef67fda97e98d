package dev.eventsource.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.AppendResult;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Builds a group commit's queue deterministically: holds the connection the {@link #leader} borrows
 * until {@link #open}; callers started with {@link #queue} are each left parked (queued behind the
 * held commit) before the next starts. One use: build one queue, open, wait for the appends.
 *
 * <pre>{@code
 * GroupCommitGate gate = new GroupCommitGate(pool, ds -> PostgresStore.builder(ds).schema("s").build());
 * CompletableFuture<AppendResult> lead = gate.leader(() -> gate.store.append(...));
 * CompletableFuture<AppendResult> queued = gate.queue(() -> gate.store.append(...));
 * gate.open();
 * }</pre>
 */
final class GroupCommitGate {
    private final CountDownLatch opened = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(1);
    private final AtomicBoolean armed = new AtomicBoolean();

    /** Round trips through the gate, counted. */
    final RoundTrips trips;
    /** A store on the test schema that borrows its connections through the gate, migrated. */
    final PostgresStore store;

    /** Wraps {@code target}; {@code storeOn} makes the store over the gated, counted data source. */
    GroupCommitGate(DataSource target, Function<DataSource, PostgresStore> storeOn) {
        DataSource gated = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && armed.getAndSet(false)) {
                        held.countDown();
                        if (!opened.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the gate was never opened");
                        }
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        this.trips = new RoundTrips(gated);
        this.store = storeOn.apply(trips.dataSource());
        store.migrate();
    }

    /** Starts the caller that will lead: it takes the lock and stops at the gate (its connection is held). */
    CompletableFuture<AppendResult> leader(Supplier<AppendResult> append) throws InterruptedException {
        armed.set(true);
        CompletableFuture<AppendResult> f = CompletableFuture.supplyAsync(append, runnable -> start(runnable));
        assertThat(held.await(10, TimeUnit.SECONDS)).as("the leader reached the gate").isTrue();
        return f;
    }

    /** Starts a caller and returns once it waits parked, queued. */
    CompletableFuture<AppendResult> queue(Supplier<AppendResult> append) throws InterruptedException {
        Thread[] thread = new Thread[1];
        CompletableFuture<AppendResult> f = CompletableFuture.supplyAsync(append, runnable -> thread[0] = start(runnable));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread[0].getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("the caller queued and parked").isLessThan(deadline);
            Thread.sleep(1);
        }
        return f;
    }

    void open() {
        opened.countDown();
    }

    /** What an append started through the gate failed with, waiting at most 10 s; an error if it succeeded. */
    static Throwable failure(CompletableFuture<?> append) throws InterruptedException, TimeoutException {
        try {
            append.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the append to fail");
    }

    private static Thread start(Runnable runnable) {
        Thread t = new Thread(runnable, "group-commit-test");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
