package dev.eventsource.testing;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.CommandContext;
import dev.eventsource.CommandResult;
import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A given/when/then test of one aggregate and one command, on the real command path: the given
 * events are stored through the aggregate's generated codecs (legacy versions too), the command runs on an aggregate
 * loaded back from them (validate, perform, append), and its events are read back through the codecs
 * before they are compared, so a serialization mistake fails the test. No threads, an
 * {@code InMemoryStore}, and a clock fixed at {@link #at}. Failures are {@link AssertionError}s
 * that show what was expected and what happened, so any test framework works.
 *
 * <pre>{@code
 * AggregateFixture.of(Order.class)
 *         .withId("order_1")
 *         .given(new OrderCreated("order_1", "c_1", 10.0))
 *         .when(order -> order.record(new OrderStatusChanged("order_1", "paid")))
 *         .expectEvents(new OrderStatusChanged("order_1", "paid"))
 *         .expectState(order -> { if (order.version() != 2) throw new AssertionError("version " + order.version()); });
 * }</pre>
 *
 * @param <A> the aggregate type
 */
public final class AggregateFixture<A extends AggregateRoot> {

    /** The instant the clock shows unless {@link #at} says otherwise. */
    public static final Instant DEFAULT_TIME = Instant.parse("2026-01-01T00:00:00Z");

    private final Class<A> type;
    private String id = "fixture-1";
    private Instant time = DEFAULT_TIME;
    private final List<Object> given = new ArrayList<>();
    private final List<Command<A>> concurrently = new ArrayList<>();

    private AggregateFixture(Class<A> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A fixture for the {@code @Aggregate} class {@code type}. */
    public static <A extends AggregateRoot> AggregateFixture<A> of(Class<A> type) {
        return new AggregateFixture<>(type);
    }

    /** The aggregate id the events and the command use; {@code fixture-1} by default. */
    public AggregateFixture<A> withId(String id) {
        this.id = Objects.requireNonNull(id, "id");
        return this;
    }

    /** The instant the engine's clock shows: the time of the recorded events. */
    public AggregateFixture<A> at(Instant time) {
        this.time = Objects.requireNonNull(time, "time");
        return this;
    }

    /**
     * Events already in the aggregate's stream before the command, in order, stored as the engine
     * stores them: each written by its generated codec. An instance of a legacy class (an older
     * {@code @EventType(version)} of an event) is stored at its version, so loading the aggregate
     * runs the {@code @Upcast} chain, as it does for events an older release stored.
     */
    public AggregateFixture<A> given(Object... events) {
        for (Object e : events) {
            given.add(Objects.requireNonNull(e, "a given event is null"));
        }
        return this;
    }

    /**
     * A command another writer executes on the same aggregate between the command's read and its
     * append, so the command's first append conflicts and the engine runs it again on the state
     * that includes the other command's events: a test of behaviour under a retry.
     */
    public AggregateFixture<A> whenConcurrently(Command<A> other) {
        concurrently.add(Objects.requireNonNull(other, "other"));
        return this;
    }

    /** Runs {@code command}; the returned outcome checks what it did. */
    public Outcome<A> when(Command<A> command) {
        return when(command, CommandContext.none());
    }

    /** Runs {@code command} with {@code context}; the returned outcome checks what it did. */
    public Outcome<A> when(Command<A> command, CommandContext context) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(context, "context");
        InMemoryStore store = new InMemoryStore();
        Clock clock = Clock.fixed(time, ZoneOffset.UTC);
        GeneratedCode.append(store, GeneratedCode.aggregate(type), id, time, given);
        try (Engine setUp = engine(store, clock)) {
            ConflictOnce commandStore = new ConflictOnce(store, setUp);
            try (Engine engine = engine(commandStore, clock)) {
                CommandResult<A> result;
                try {
                    result = engine.executeResult(type, id, command, context);
                } catch (RuntimeException rejected) {
                    return new Outcome<>(this, null, List.of(), rejected, commandStore.appended > 0);
                }
                List<Object> recorded = new ArrayList<>();
                for (EventEnvelope<?> e : result.events()) {
                    recorded.add(e.data());
                }
                // A fresh engine (no cache) reads the stream back, so everything compared went through the codecs.
                try (Engine reader = engine(store, clock)) {
                    List<Object> readBack = GeneratedCode.lastEvents(reader, type, id, recorded.size());
                    for (int i = 0; i < recorded.size(); i++) {
                        if (!recorded.get(i).equals(readBack.get(i))) {
                            throw new AssertionError("event " + (i + 1) + " of the command does not survive its codec:\n"
                                    + "  recorded:  " + recorded.get(i) + "\n  read back: " + readBack.get(i));
                        }
                    }
                    return new Outcome<>(this, reader.load(type, id).orElse(null), readBack, null, false);
                }
            }
        }
    }

    private Engine engine(dev.eventsource.store.EventStore store, Clock clock) {
        Engine engine = Engine.builder().store(store).clock(clock).build();
        engine.registerAggregate(type);
        return engine;
    }

    /**
     * The command's view of the store: runs the concurrent commands (through the set-up engine, on
     * the store itself), once, right before the command's first append goes through, and counts the
     * command's own appends.
     */
    private final class ConflictOnce extends ForwardingEventStore {
        private final Engine other;
        private boolean done;
        int appended;

        ConflictOnce(InMemoryStore store, Engine other) {
            super(store);
            this.other = other;
        }

        @Override
        public AppendResult append(String streamType, String streamId, long expectedVersion, List<NewEvent> events) {
            if (!done) {
                done = true;
                for (Command<A> command : concurrently) {
                    other.execute(type, id, command);
                }
            }
            AppendResult result = super.append(streamType, streamId, expectedVersion, events);
            appended++;
            return result;
        }
    }

    /**
     * What the command did, with checks that throw {@link AssertionError}; each returns this outcome,
     * so checks chain.
     *
     * <pre>{@code
     * AggregateFixture.of(Order.class).when(order -> order.record(new OrderCreated("fixture-1", "c_1", 1.0)))
     *         .expectEventsSatisfying(events -> { if (events.size() != 1) throw new AssertionError(events); });
     * }</pre>
     *
     * @param <A> the aggregate type
     */
    public static final class Outcome<A extends AggregateRoot> {
        private final AggregateFixture<A> fixture;
        private final A aggregate;
        private final List<Object> events;
        private final RuntimeException failure;
        private final boolean appendedAnyway;

        Outcome(AggregateFixture<A> fixture, A aggregate, List<Object> events, RuntimeException failure,
                boolean appendedAnyway) {
            this.fixture = fixture;
            this.aggregate = aggregate;
            this.events = List.copyOf(events);
            this.failure = failure;
            this.appendedAnyway = appendedAnyway;
        }

        /** The command recorded exactly {@code expected}, in order (compared with {@code equals}). */
        public Outcome<A> expectEvents(Object... expected) {
            requireAccepted("events " + List.of(expected));
            if (!events.equals(List.of(expected))) {
                throw new AssertionError("the command of " + fixture.describe() + " recorded other events\n"
                        + "  expected: " + List.of(expected) + "\n  recorded: " + events);
            }
            return this;
        }

        /** The command was accepted and recorded nothing. */
        public Outcome<A> expectNoEvents() {
            requireAccepted("no events");
            if (!events.isEmpty()) {
                throw new AssertionError("the command of " + fixture.describe() + " recorded events, expected none\n"
                        + "  recorded: " + events);
            }
            return this;
        }

        /** The recorded events, decoded, pass {@code check}. */
        public Outcome<A> expectEventsSatisfying(Consumer<List<Object>> check) {
            requireAccepted("events satisfying a check");
            check.accept(events);
            return this;
        }

        /**
         * The command failed with an exception of type {@code type} (or a subtype) whose message
         * contains {@code messagePart}, and nothing was appended.
         */
        public Outcome<A> expectRejected(Class<? extends Exception> type, String messagePart) {
            if (failure == null) {
                throw new AssertionError("the command of " + fixture.describe() + " was accepted, expected "
                        + type.getSimpleName() + " containing \"" + messagePart + "\"\n  recorded: " + events);
            }
            if (!type.isInstance(failure) || failure.getMessage() == null || !failure.getMessage().contains(messagePart)) {
                AssertionError error = new AssertionError("the command of " + fixture.describe() + " failed otherwise\n"
                        + "  expected: " + type.getName() + " containing \"" + messagePart + "\"\n  thrown:   " + failure);
                error.initCause(failure);
                throw error;
            }
            if (appendedAnyway) {
                throw new AssertionError("the command of " + fixture.describe() + " was rejected but events were appended");
            }
            return this;
        }

        /** The aggregate after the command, as loaded back from the store, passes {@code check}. */
        public Outcome<A> expectState(Consumer<A> check) {
            requireAccepted("a state");
            check.accept(aggregate);
            return this;
        }

        private void requireAccepted(String expected) {
            if (failure != null) {
                AssertionError error = new AssertionError("the command of " + fixture.describe() + " failed, expected "
                        + expected + "\n  thrown: " + failure);
                error.initCause(failure);
                throw error;
            }
        }
    }

    private String describe() {
        return type.getSimpleName() + " " + id + (given.isEmpty() ? "" : " given " + given);
    }
}
