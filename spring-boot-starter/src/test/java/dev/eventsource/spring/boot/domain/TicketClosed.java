package dev.eventsource.spring.boot.domain;

/** A ticket was closed. */
public record TicketClosed(String id) {
}
