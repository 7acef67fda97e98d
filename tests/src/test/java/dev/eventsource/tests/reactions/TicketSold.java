package dev.eventsource.tests.reactions;

/** A ticket was sold: what the receipts reaction reacts to. */
public record TicketSold(String ticketId) {
}
