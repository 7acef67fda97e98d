package dev.eventsource.tests.evolution;

import dev.eventsource.annotations.EventType;

/** A member's plan changed; stored as {@code plan-changed} before its name was made the class name. */
@EventType(name = "PlanChanged", aliases = {"plan-changed"})
public record PlanChanged(String memberId, String plan) {
}
