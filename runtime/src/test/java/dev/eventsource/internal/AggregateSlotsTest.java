package dev.eventsource.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.testdomain.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The slots: one per id while held, kept (bounded) when idle, never evicted while held. */
class AggregateSlotsTest {

    @Test
    void oneSlotPerIdWhileHeldAndTheSameOneAfterwardsWhileCached() {
        AggregateSlots<Counter> slots = new AggregateSlots<>(10);
        AggregateSlots.Slot<Counter> first = slots.acquire("c1");
        AggregateSlots.Slot<Counter> second = slots.acquire("c1");
        assertThat(second).isSameAs(first);
        slots.release(first);
        slots.release(second);
        AggregateSlots.Slot<Counter> again = slots.acquire("c1");
        assertThat(again).as("kept while idle, with what it caches").isSameAs(first);
        slots.release(again);
        assertThat(slots.acquire("c2")).isNotSameAs(first);
    }

    @Test
    void withoutACacheAnIdleSlotIsDroppedAndAHeldOneIsNot() {
        AggregateSlots<Counter> slots = new AggregateSlots<>(0);
        AggregateSlots.Slot<Counter> a = slots.acquire("c1");
        AggregateSlots.Slot<Counter> b = slots.acquire("c1");
        slots.release(a);
        assertThat(slots.size()).as("still held by b").isEqualTo(1);
        assertThat(slots.acquire("c1")).isSameAs(b);
        slots.release(b);
        slots.release(b);
        assertThat(slots.size()).isZero();
        assertThat(slots.acquire("c1")).isNotSameAs(b);
    }

    @Test
    void staysBoundedAndNeverEvictsAHeldSlot() {
        AggregateSlots<Counter> slots = new AggregateSlots<>(1_000);
        AggregateSlots.Slot<Counter> held = slots.acquire("held");
        for (int i = 0; i < 200_000; i++) {
            AggregateSlots.Slot<Counter> s = slots.acquire("order_" + i);
            slots.release(s);
            assertThat(slots.size()).isLessThanOrEqualTo(1_001);
        }
        assertThat(slots.acquire("held")).isSameAs(held);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void evictionGoesOnFromItsCursorInsteadOfRescanningEmptiedBins() {
        // With a fresh iterator per eviction, each release walked past every bin emptied before it:
        // quadratic in the number of evictions. The cursor makes them constant time.
        AggregateSlots<Counter> slots = new AggregateSlots<>(100_000);
        for (int i = 0; i < 1_100_000; i++) {
            slots.release(slots.acquire(Integer.toString(i)));
        }
        assertThat(slots.size()).isEqualTo(100_000);
    }

    @Test
    void concurrentHoldersOfOneIdAlwaysShareItsSlot() throws Exception {
        AggregateSlots<Counter> slots = new AggregateSlots<>(64);
        ConcurrentHashMap<String, AggregateSlots.Slot<Counter>> live = new ConcurrentHashMap<>();
        ConcurrentHashMap<String, AtomicInteger> holders = new ConcurrentHashMap<>();
        AtomicInteger split = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50_000; i++) {
                        String id = "a" + (i % 200);      // 200 ids over a bound of 64: constant eviction
                        AggregateSlots.Slot<Counter> s = slots.acquire(id);
                        AtomicInteger n = holders.computeIfAbsent(id, k -> new AtomicInteger());
                        synchronized (n) {
                            if (n.getAndIncrement() == 0) {
                                live.put(id, s);
                            } else if (live.get(id) != s) {
                                split.incrementAndGet();
                            }
                        }
                        synchronized (n) {
                            n.decrementAndGet();
                            slots.release(s);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(split).as("two live slots for one id").hasValue(0);
    }
}
