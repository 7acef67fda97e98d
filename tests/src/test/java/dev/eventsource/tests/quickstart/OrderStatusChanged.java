package dev.eventsource.tests.quickstart;

public record OrderStatusChanged(String id, String status) {}
