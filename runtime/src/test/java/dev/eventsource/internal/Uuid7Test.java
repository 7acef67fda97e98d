package dev.eventsource.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class Uuid7Test {

    @Test
    void idsAreVersion7Variant2AndCarryTheTime() {
        // A burst of ids (another test, 50,000 of them) may have carried the counter into the
        // timestamp, ahead of the clock; wait until the clock has passed it, then it is exact.
        UUID probe = Uuid7.next();
        while (System.currentTimeMillis() <= Uuid7.millis(probe)) {
            Thread.onSpinWait();
        }
        long before = System.currentTimeMillis();
        UUID id = Uuid7.next();
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(Uuid7.millis(id)).isBetween(before, after);
    }

    @Test
    void idsIncreaseStrictlyEvenWithinOneMillisecond() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            ids.add(Uuid7.next());
        }
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i).compareTo(ids.get(i - 1))).isPositive();
            assertThat(Long.compareUnsigned(ids.get(i).getMostSignificantBits(), ids.get(i - 1).getMostSignificantBits()))
                    .isPositive();
        }
    }

    @Test
    void counterOverflowCarriesIntoTheTimestamp() {
        UUID last = Uuid7.of((1000L << 12) | 0xFFF, 0);
        UUID next = Uuid7.of(((1000L << 12) | 0xFFF) + 1, 0);
        assertThat(Uuid7.millis(last)).isEqualTo(1000);
        assertThat(Uuid7.millis(next)).isEqualTo(1001);
        assertThat(next.version()).isEqualTo(7);
    }

    @Test
    void idsAreUniqueAcrossThreads() throws Exception {
        Set<UUID> ids = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    ids.add(Uuid7.next());
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(ids).hasSize(80_000);
    }
}
