package dev.eventsource.testdomain;

import dev.eventsource.AggregateRoot;
import dev.eventsource.testdomain.Events.Added;
import dev.eventsource.testdomain.Events.Created;
import java.util.concurrent.atomic.AtomicLong;

/** A counter aggregate, dispatched by the hand-written {@link Counter_Aggregate}. */
public class Counter extends AggregateRoot {

    /** Number of event applications (recording and loading) since the last reset, for snapshot tests. */
    public static final AtomicLong APPLIED = new AtomicLong();

    String id;
    long value;

    @Override
    public String id() {
        return id;
    }

    public long value() {
        return value;
    }

    void on(Created e) {
        APPLIED.incrementAndGet();
        id = e.id();
    }

    void on(Added e) {
        APPLIED.incrementAndGet();
        value += e.amount();
    }
}
