package dev.eventsource.tests.evolution;

import dev.eventsource.annotations.EventType;

/** A member signed up; the record was called {@code MemberJoined}, the name its first events are stored under. */
@EventType(aliases = {"MemberJoined"})
public record MemberSignedUp(String memberId, String plan) {
}
