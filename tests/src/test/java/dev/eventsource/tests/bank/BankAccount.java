package dev.eventsource.tests.bank;

import dev.eventsource.AggregateRoot;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;
import java.util.concurrent.atomic.AtomicLong;

/** A bank account; snapshots every 5 events; counts its @Apply calls so tests can see snapshot use. */
@Aggregate(name = "bank-account", snapshotEvery = 5)
public class BankAccount extends AggregateRoot {

    static final AtomicLong APPLY_CALLS = new AtomicLong();

    String id;
    String owner;
    long balance;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(AccountOpened e) {
        APPLY_CALLS.incrementAndGet();
        id = e.accountId();
        owner = e.owner();
    }

    @Apply
    void on(Deposited e) {
        APPLY_CALLS.incrementAndGet();
        balance += e.cents();
    }

    @Apply
    void on(Withdrawn e) {
        APPLY_CALLS.incrementAndGet();
        balance -= e.cents();
    }
}
