package dev.eventsource.tests.quickstart;

public record OrderCreated(String id, String customerId, double amount) {}
