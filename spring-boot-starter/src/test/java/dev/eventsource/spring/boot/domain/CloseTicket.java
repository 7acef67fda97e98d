package dev.eventsource.spring.boot.domain;

import dev.eventsource.Command;

/** Closes a ticket. */
public record CloseTicket(String id) implements Command<Ticket> {
    @Override
    public void perform(Ticket ticket) {
        ticket.record(new TicketClosed(id));
    }
}
