package dev.eventsource.spring.boot.domain;

import dev.eventsource.Command;

/** Opens a ticket. */
public record OpenTicket(String id, String title) implements Command<Ticket> {
    @Override
    public void perform(Ticket ticket) {
        ticket.record(new TicketOpened(id, title));
    }
}
