package dev.eventsource.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AggregateCacheTest {

    @Test
    void takeRemovesSoOnlyOneCallerGetsAnInstance() {
        AggregateCache<Object> cache = new AggregateCache<>(10);
        Object order = new Object();
        cache.put("o1", order);
        assertThat(cache.take("o1")).isSameAs(order);
        assertThat(cache.take("o1")).isNull();
    }

    @Test
    void sizeZeroCachesNothing() {
        AggregateCache<Object> cache = new AggregateCache<>(0);
        cache.put("o1", new Object());
        assertThat(cache.take("o1")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void staysBoundedAndKeepsWhatWasJustPutThroughManyEvictions() {
        AggregateCache<String> cache = new AggregateCache<>(1_000);
        for (int i = 0; i < 200_000; i++) {
            String id = "order_" + i;
            cache.put(id, id);
            assertThat(cache.size()).isLessThanOrEqualTo(1_000);
            assertThat(cache.take(id)).as("the entry just put survives its own eviction").isEqualTo(id);
            cache.put(id, id);
        }
        assertThat(cache.size()).isEqualTo(1_000);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void evictionGoesOnFromItsCursorInsteadOfRescanningEmptiedBins() {
        // With a fresh iterator per eviction, each of these puts walked past every bin emptied
        // before it: quadratic in the number of evictions. The cursor makes them constant time, so
        // this finishes in well under a second instead of minutes.
        AggregateCache<Integer> cache = new AggregateCache<>(100_000);
        for (int i = 0; i < 1_100_000; i++) {
            cache.put(Integer.toString(i), i);
        }
        assertThat(cache.size()).isEqualTo(100_000);
    }

    @Test
    void concurrentPutsTakesAndEvictionsNeverHandOneInstanceToTwoTakers() throws Exception {
        AggregateCache<AtomicBoolean> cache = new AggregateCache<>(64);
        AtomicInteger sharedInstances = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50_000; i++) {
                        String id = "a" + (i % 200);      // 200 ids over a bound of 64: constant eviction
                        AtomicBoolean inUse = cache.take(id);
                        if (inUse == null) {
                            inUse = new AtomicBoolean();
                        }
                        if (!inUse.compareAndSet(false, true)) {
                            sharedInstances.incrementAndGet();
                        }
                        inUse.set(false);
                        cache.put(id, inUse);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sharedInstances).as("instances taken by two threads at once").hasValue(0);
        assertThat(cache.size()).isLessThanOrEqualTo(64 + 4);
    }
}
