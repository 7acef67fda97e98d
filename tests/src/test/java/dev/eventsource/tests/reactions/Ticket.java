package dev.eventsource.tests.reactions;

import dev.eventsource.AggregateRoot;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;

/** A ticket; selling it is the event the reaction follows. */
@Aggregate(name = "ticket")
public class Ticket extends AggregateRoot {

    String id;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(TicketSold e) {
        id = e.ticketId();
    }
}
