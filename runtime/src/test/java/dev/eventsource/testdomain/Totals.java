package dev.eventsource.testdomain;

import dev.eventsource.Resettable;
import dev.eventsource.testdomain.Events.Added;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An annotated-style projection (dispatched by {@link Totals_Projection}): sums per counter, and
 * remembers the versions seen per counter to check ordering. Only handles {@code Added}.
 */
public class Totals implements Resettable {

    public final Map<String, Long> sums = new ConcurrentHashMap<>();
    public final Map<String, List<Long>> versions = new ConcurrentHashMap<>();
    public final AtomicLong handled = new AtomicLong();
    /** Makes each event take this long, to test backpressure. */
    public volatile long delayNanos;

    void on(Added e, long version) {
        if (delayNanos > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(delayNanos);
        }
        sums.merge(e.id(), e.amount(), Long::sum);
        versions.computeIfAbsent(e.id(), k -> new CopyOnWriteArrayList<>()).add(version);
        handled.incrementAndGet();
    }

    @Override
    public void reset() {
        sums.clear();
        versions.clear();
        handled.set(0);
    }
}
