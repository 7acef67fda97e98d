package dev.eventsource.spring.boot.domain;

import dev.eventsource.AggregateRoot;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;

/** A support ticket: the test domain's aggregate, compiled by the eventsource processor. */
@Aggregate
public class Ticket extends AggregateRoot {

    String id;
    String title;
    boolean closed;

    @Override
    public String id() {
        return id;
    }

    public boolean closed() {
        return closed;
    }

    @Apply
    void on(TicketOpened e) {
        id = e.id();
        title = e.title();
    }

    @Apply
    void on(TicketClosed e) {
        closed = true;
    }
}
