package dev.eventsource.tests.reactions;

/** A receipt was issued for a ticket: what the receipts reaction's command records. */
public record ReceiptIssued(String ticketId) {
}
