package dev.eventsource.testdomain;

/** Events of the hand-written test domain (what the processor would read from user code). */
public final class Events {

    private Events() {
    }

    /** A counter came to be. */
    public record Created(String id) {
    }

    /** A counter was increased. */
    public record Added(String id, long amount) {
    }

    /** An account was opened; its aggregate reads envelopes. */
    public record Opened(String id, String owner) {
    }
}
