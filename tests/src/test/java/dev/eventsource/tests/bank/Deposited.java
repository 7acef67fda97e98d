package dev.eventsource.tests.bank;

import dev.eventsource.annotations.EventType;

@EventType(name = "bank.Deposited")
public record Deposited(String accountId, long cents) {}
