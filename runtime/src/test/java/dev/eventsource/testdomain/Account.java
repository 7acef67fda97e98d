package dev.eventsource.testdomain;

import dev.eventsource.AggregateRoot;
import dev.eventsource.EventEnvelope;
import dev.eventsource.testdomain.Events.Opened;

/** An aggregate whose apply method takes the envelope; snapshots off. */
public class Account extends AggregateRoot {

    String id;
    String owner;
    String openedBy;
    long openedAtPosition = -1;
    long openedVersion;

    @Override
    public String id() {
        return id;
    }

    public String openedBy() {
        return openedBy;
    }

    public long openedAtPosition() {
        return openedAtPosition;
    }

    public long openedVersion() {
        return openedVersion;
    }

    void on(Opened e, EventEnvelope<?> envelope) {
        id = e.id();
        owner = e.owner();
        openedBy = envelope.metadata().get("user");
        openedAtPosition = envelope.globalPosition();
        openedVersion = envelope.version();
    }
}
