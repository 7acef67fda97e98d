package dev.eventsource.tests.snapshots;

import dev.eventsource.annotations.EventType;

/** An amount counted on a tally; both releases of the tally apply it, differently. */
@EventType(name = "tally.Counted")
public record Counted(String tallyId, long amount) {}
