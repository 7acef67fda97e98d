package dev.eventsource.tests.bank;

import dev.eventsource.annotations.EventType;

@EventType(name = "bank.Withdrawn", version = 2)
public record Withdrawn(String accountId, long cents, String reason) {}
