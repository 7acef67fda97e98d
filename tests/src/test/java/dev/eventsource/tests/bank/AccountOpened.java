package dev.eventsource.tests.bank;

import dev.eventsource.annotations.EventType;

@EventType(name = "bank.AccountOpened")
public record AccountOpened(String accountId, String owner) {}
