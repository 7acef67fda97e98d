package dev.eventsource.spring.boot.domain;

/** A ticket was opened. */
public record TicketOpened(String id, String title) {
}
