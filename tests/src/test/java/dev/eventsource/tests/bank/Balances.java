package dev.eventsource.tests.bank;

import dev.eventsource.EventEnvelope;
import dev.eventsource.Resettable;
import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Balances per account, plus the stream versions seen per account (to check ordering). */
@Projection(name = "balances")
public class Balances implements Resettable {

    final Map<String, Long> balances = new ConcurrentHashMap<>();
    final Map<String, List<Long>> versions = new ConcurrentHashMap<>();
    final AtomicLong events = new AtomicLong();
    volatile long pauseNanos;

    @Apply
    void on(AccountOpened e, EventEnvelope<AccountOpened> env) {
        seen(e.accountId(), env.version(), 0);
    }

    @Apply
    void on(Deposited e, EventEnvelope<Deposited> env) {
        seen(e.accountId(), env.version(), e.cents());
    }

    @Apply
    void on(Withdrawn e, EventEnvelope<Withdrawn> env) {
        seen(e.accountId(), env.version(), -e.cents());
    }

    private void seen(String account, long version, long delta) {
        if (pauseNanos > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
        }
        balances.merge(account, delta, Long::sum);
        versions.computeIfAbsent(account, k -> new CopyOnWriteArrayList<>()).add(version);
        events.incrementAndGet();
    }

    @Override
    public void reset() {
        balances.clear();
        versions.clear();
        events.set(0);
    }
}
