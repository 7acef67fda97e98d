package dev.eventsource.testing;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.CommandCall;
import dev.eventsource.CommandContext;
import dev.eventsource.CommandInterceptor;
import dev.eventsource.CommandResult;
import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.store.InMemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A given/when/then test of a reaction: a projection that executes commands when it handles an
 * event (a process manager, a policy). The reaction gets a real {@link Engine} on an
 * {@code InMemoryStore} with a fixed clock; the given events are stored in their aggregates' streams
 * (through the codecs, legacy versions at their version), the event of {@link #when} is appended to
 * its stream and handed to the reaction in its stored envelope, as an async projection would get
 * it, and every command the reaction executes runs for real and is recorded with its context and
 * what came of it. No threads. Failures are {@link AssertionError}s, so any test framework works.
 *
 * <pre>{@code
 * @Projection(name = "confirm-new-orders")
 * public class ConfirmNewOrders {
 *     private final Engine engine;
 *
 *     public ConfirmNewOrders(Engine engine) {
 *         this.engine = engine;
 *     }
 *
 *     @Apply
 *     void on(OrderCreated e, EventEnvelope<OrderCreated> envelope) {
 *         engine.execute(Order.class, e.id(), new Confirm(e.id()), CommandContext.causedBy(envelope, "confirm-new-orders"));
 *     }
 *
 *     public record Confirm(String id) implements Command<Order> {
 *         @Override
 *         public void perform(Order order) {
 *             order.record(new OrderStatusChanged(id, "confirmed"));
 *         }
 *     }
 *
 *     static void test() {
 *         ReactionFixture.of(ConfirmNewOrders::new)
 *                 .when(Order.class, "order_1", new OrderCreated("order_1", "c_1", 10.0))
 *                 .expectCommands(new Confirm("order_1"))
 *                 .expectCausedBy("confirm-new-orders")
 *                 .expectAppended(Order.class, "order_1", new OrderStatusChanged("order_1", "confirmed"))
 *                 .redelivered()
 *                 .expectAppended(Order.class, "order_1");      // a duplicate: appended nothing
 *     }
 * }
 * }</pre>
 *
 * @param <P> the reaction's type: an {@code @Projection} class or a {@code dev.eventsource.Projection}
 */
public final class ReactionFixture<P> {

    private final Function<Engine, P> reaction;
    private final Set<Class<? extends AggregateRoot>> aggregates = new LinkedHashSet<>();
    private final Map<Stream, List<Object>> given = new LinkedHashMap<>();
    private Instant time = AggregateFixture.DEFAULT_TIME;

    private ReactionFixture(Function<Engine, P> reaction) {
        this.reaction = Objects.requireNonNull(reaction, "reaction");
    }

    /**
     * A fixture for the reaction {@code reaction} makes from the engine its commands go to.
     *
     * <pre>{@code
     * ReactionFixture<OrderSummary> none = ReactionFixture.of(engine -> new OrderSummary());
     * }</pre>
     */
    public static <P> ReactionFixture<P> of(Function<Engine, P> reaction) {
        return new ReactionFixture<>(reaction);
    }

    /** The instant the engine's clock shows: the time of the stored events and of the commands' events. */
    public ReactionFixture<P> at(Instant time) {
        this.time = Objects.requireNonNull(time, "time");
        return this;
    }

    /**
     * Registers aggregates the reaction's commands run on; those named in {@link #given} and
     * {@link #when} are registered without it.
     */
    @SafeVarargs
    public final ReactionFixture<P> withAggregates(Class<? extends AggregateRoot>... types) {
        for (Class<? extends AggregateRoot> t : types) {
            aggregates.add(Objects.requireNonNull(t, "an aggregate type is null"));
        }
        return this;
    }

    /** Events already in the stream {@code type/id}, in order, before the reaction runs. */
    public <A extends AggregateRoot> ReactionFixture<P> given(Class<A> type, String id, Object... events) {
        aggregates.add(Objects.requireNonNull(type, "type"));
        List<Object> stream = given.computeIfAbsent(new Stream(type, Objects.requireNonNull(id, "id")), s -> new ArrayList<>());
        for (Object e : events) {
            stream.add(Objects.requireNonNull(e, "a given event is null"));
        }
        return this;
    }

    /**
     * Appends {@code event} to the stream {@code type/id} after the given events, hands it to the
     * reaction in its stored envelope, and records the commands the reaction executes.
     */
    public <A extends AggregateRoot> Outcome<P> when(Class<A> type, String id, Object event) {
        Objects.requireNonNull(event, "event");
        aggregates.add(Objects.requireNonNull(type, "type"));
        Objects.requireNonNull(id, "id");
        InMemoryStore store = new InMemoryStore();
        Clock clock = Clock.fixed(time, ZoneOffset.UTC);
        given.forEach((stream, events) -> GeneratedCode.append(store, GeneratedCode.aggregate(stream.type), stream.id,
                time, events));
        GeneratedCode.append(store, GeneratedCode.aggregate(type), id, time, List.of(event));
        Recorder recorder = new Recorder();
        Engine engine = Engine.builder().store(store).clock(clock).commandInterceptor(recorder).build();
        aggregates.forEach(engine::registerAggregate);
        P instance = Objects.requireNonNull(reaction.apply(engine), "the reaction factory returned null");
        List<EventEnvelope<?>> stream = engine.readStream(type, id);
        @SuppressWarnings("unchecked")
        EventEnvelope<Object> envelope = (EventEnvelope<Object>) stream.get(stream.size() - 1);
        return new Outcome<>(this, engine, ProjectionFixture.of(instance), envelope, recorder, type, id);
    }

    private String describe(Class<?> type, String id, EventEnvelope<?> event) {
        return "the reaction to " + event.data() + " in " + type.getSimpleName() + " " + id;
    }

    private record Stream(Class<? extends AggregateRoot> type, String id) {
    }

    /**
     * A command the reaction executed, and what came of it.
     *
     * @param aggregateType the aggregate class it ran on
     * @param aggregateId the aggregate id
     * @param command the command
     * @param context its context as the reaction gave it
     * @param result what the engine returned, or {@code null} when it threw
     * @param failure what the engine threw (a rejection, for one), or {@code null}
     */
    public record ExecutedCommand(Class<?> aggregateType, String aggregateId, Command<?> command, CommandContext context,
            CommandResult<?> result, RuntimeException failure) {

        /** Whether the command was stored before and appended nothing (see {@link CommandResult#duplicate()}). */
        public boolean duplicate() {
            return result != null && result.duplicate();
        }

        @Override
        public String toString() {
            String outcome = failure != null ? "failed: " + failure
                    : result.duplicate() ? "duplicate" : result.events().size() + " events";
            return aggregateType.getSimpleName() + " " + aggregateId + " <- " + command + " (" + outcome + ")";
        }
    }

    /** Records every command the engine runs, on the calling thread. */
    private static final class Recorder implements CommandInterceptor {
        final List<ExecutedCommand> executed = new ArrayList<>();

        @Override
        public <A extends AggregateRoot> CommandResult<A> intercept(CommandCall<A> call) {
            try {
                CommandResult<A> result = call.proceed();
                executed.add(new ExecutedCommand(call.aggregateType(), call.aggregateId(), call.command(), call.context(),
                        result, null));
                return result;
            } catch (RuntimeException e) {
                executed.add(new ExecutedCommand(call.aggregateType(), call.aggregateId(), call.command(), call.context(),
                        null, e));
                throw e;
            }
        }
    }

    /**
     * What the reaction did with the event, with checks that throw {@link AssertionError}; each
     * returns this outcome, so checks chain. {@link #redelivered()} hands the same event over again.
     *
     * <pre>{@code
     * ReactionFixture.of(engine -> new OrderSummary())
     *         .when(Order.class, "order_1", new OrderCreated("order_1", "c_1", 10.0))
     *         .expectNoCommands()
     *         .redelivered()
     *         .expectCommandsSatisfying(commands -> { if (!commands.isEmpty()) throw new AssertionError(commands); });
     * }</pre>
     *
     * @param <P> the reaction's type
     */
    public static final class Outcome<P> {
        private final ReactionFixture<P> fixture;
        private final Engine engine;
        private final ProjectionFixture<P> delivery;
        private final EventEnvelope<Object> event;
        private final Recorder recorder;
        private final Class<?> streamOf;
        private final String id;
        private final int from;
        private final RuntimeException failure;

        private Outcome(ReactionFixture<P> fixture, Engine engine, ProjectionFixture<P> delivery,
                EventEnvelope<Object> event, Recorder recorder, Class<?> streamOf, String id) {
            this.fixture = fixture;
            this.engine = engine;
            this.delivery = delivery;
            this.event = event;
            this.recorder = recorder;
            this.streamOf = streamOf;
            this.id = id;
            this.from = recorder.executed.size();
            RuntimeException thrown = null;
            try {
                delivery.deliver(event);
            } catch (RuntimeException e) {
                thrown = e;
            }
            this.failure = thrown;
        }

        /**
         * The same event handed to the same reaction again, as an async projection delivers it after
         * a crash before its checkpoint or in a rebuild; the new outcome's checks see only the
         * commands of the second delivery.
         */
        public Outcome<P> redelivered() {
            return new Outcome<>(fixture, engine, delivery, event, recorder, streamOf, id);
        }

        /** The commands this delivery executed, in order. */
        public List<ExecutedCommand> commands() {
            return List.copyOf(recorder.executed.subList(from, to()));
        }

        private int to() {
            return recorder.executed.size();
        }

        /** The reaction executed exactly {@code expected}, in order (compared with {@code equals}). */
        public Outcome<P> expectCommands(Object... expected) {
            requireHandled();
            List<Object> actual = new ArrayList<>();
            for (ExecutedCommand c : commands()) {
                actual.add(c.command());
            }
            if (!actual.equals(List.of(expected))) {
                throw new AssertionError(describe() + " executed other commands\n  expected: " + List.of(expected)
                        + "\n  executed: " + commands());
            }
            return this;
        }

        /** The reaction executed no command. */
        public Outcome<P> expectNoCommands() {
            requireHandled();
            if (!commands().isEmpty()) {
                throw new AssertionError(describe() + " executed commands, expected none\n  executed: " + commands());
            }
            return this;
        }

        /**
         * Every command the reaction executed has the context {@link CommandContext#causedBy} gives
         * for this event and {@code reactionName}: its id is derived from the event, so a redelivery
         * is a duplicate, and it carries the event's correlation.
         */
        public Outcome<P> expectCausedBy(String reactionName) {
            requireHandled();
            CommandContext expected = CommandContext.causedBy(event, reactionName);
            for (ExecutedCommand c : commands()) {
                if (!expected.equals(c.context())) {
                    throw new AssertionError(describe() + " executed " + c + " with another context\n  expected: "
                            + expected + "\n  given:    " + c.context());
                }
            }
            return this;
        }

        /** The executed commands, with their contexts and results, pass {@code check}. */
        public Outcome<P> expectCommandsSatisfying(Consumer<List<ExecutedCommand>> check) {
            requireHandled();
            check.accept(commands());
            return this;
        }

        /**
         * The stream {@code type/id} now holds {@code expected} after the events that were in it
         * before this delivery (compared with {@code equals}, read back through the codecs).
         */
        public <A extends AggregateRoot> Outcome<P> expectAppended(Class<A> type, String aggregateId, Object... expected) {
            requireHandled();
            List<Object> appended = new ArrayList<>();
            for (ExecutedCommand c : commands()) {
                if (c.aggregateType() == type && c.aggregateId().equals(aggregateId) && c.result() != null) {
                    for (EventEnvelope<?> e : c.result().events()) {
                        appended.add(e.data());
                    }
                }
            }
            List<Object> stored = GeneratedCode.lastEvents(engine, type, aggregateId, appended.size());
            if (!stored.equals(List.of(expected))) {
                throw new AssertionError(describe() + " appended other events to " + type.getSimpleName() + " "
                        + aggregateId + "\n  expected: " + List.of(expected) + "\n  appended: " + stored);
            }
            return this;
        }

        /** The reaction itself (its counters, its state) passes {@code check}. */
        public Outcome<P> expectState(Consumer<P> check) {
            requireHandled();
            delivery.expectState(check);
            return this;
        }

        /** The reaction threw, with an exception of type {@code type} whose message contains {@code messagePart}. */
        public Outcome<P> expectFailure(Class<? extends Exception> type, String messagePart) {
            if (failure == null || !type.isInstance(failure) || failure.getMessage() == null
                    || !failure.getMessage().contains(messagePart)) {
                AssertionError error = new AssertionError(describe() + (failure == null ? " returned" : " failed otherwise")
                        + "\n  expected: " + type.getName() + " containing \"" + messagePart + "\""
                        + (failure == null ? "" : "\n  thrown:   " + failure) + "\n  executed: " + commands());
                if (failure != null) {
                    error.initCause(failure);
                }
                throw error;
            }
            return this;
        }

        private void requireHandled() {
            if (failure != null) {
                AssertionError error = new AssertionError(describe() + " threw " + failure + "\n  executed: " + commands());
                error.initCause(failure);
                throw error;
            }
        }

        private String describe() {
            return fixture.describe(streamOf, id, event);
        }
    }
}
