package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Commands.Nothing;
import dev.eventsource.testdomain.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Interceptors around commands: order, what they see, changed contexts, failures, misuse. */
class CommandInterceptorTest {

    private final InMemoryStore store = new InMemoryStore();
    private final List<String> log = new ArrayList<>();

    /** Logs before and after, and changes the context with {@code change}. */
    private CommandInterceptor logging(String name, UnaryOperator<CommandContext> change) {
        return new CommandInterceptor() {
            @Override
            public <A extends AggregateRoot> CommandResult<A> intercept(CommandCall<A> call) {
                log.add(name + " before " + call.streamType() + "/" + call.aggregateId() + " "
                        + call.aggregateType().getSimpleName() + " " + call.command().getClass().getSimpleName());
                try {
                    CommandResult<A> result = call.proceed(change.apply(call.context()));
                    log.add(name + " after " + result.events().size() + " events, version " + result.aggregate().version());
                    return result;
                } catch (RuntimeException e) {
                    log.add(name + " failed " + e.getClass().getSimpleName());
                    throw e;
                }
            }
        };
    }

    private Engine engine(CommandInterceptor... interceptors) {
        Engine.Builder builder = Engine.builder().store(store);
        for (CommandInterceptor i : interceptors) {
            builder.commandInterceptor(i);
        }
        Engine engine = builder.build();
        engine.registerAggregate(Counter.class);
        return engine;
    }

    @Test
    void interceptors_run_in_the_order_added_the_first_outermost_and_see_the_appended_events() {
        try (Engine engine = engine(logging("outer", c -> c), logging("inner", c -> c))) {
            engine.execute(Counter.class, "c1", new Add("c1", 5));   // execute, not executeResult: events are listed anyway
        }
        assertThat(log).containsExactly(
                "outer before Counter/c1 Counter Add",
                "inner before Counter/c1 Counter Add",
                "inner after 2 events, version 2",
                "outer after 2 events, version 2");
    }

    @Test
    void a_changed_context_reaches_the_command_and_the_stored_metadata() {
        try (Engine engine = engine(logging("trace", c -> c.withHeader("traceparent", "00-abc-def-01")),
                logging("user", c -> c.withHeader("seen-by", "user")))) {
            engine.execute(Counter.class, "c1", new Add("c1", 1), CommandContext.builder().header("channel", "web").build());
        }
        List<StoredEvent> stored = new ArrayList<>();
        store.readStream("Counter", "c1", 0, stored::add);
        assertThat(stored).hasSize(2).allSatisfy(e -> assertThat(e.metadata())
                .containsEntry("channel", "web").containsEntry("traceparent", "00-abc-def-01").containsEntry("seen-by", "user"));
    }

    @Test
    void a_header_an_interceptor_adds_is_checked_like_the_callers() {
        try (Engine engine = engine(logging("bad", c -> c.withHeader("command-id", "mine")))) {
            assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new Add("c1", 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command-id");
        }
        assertThat(store.readStream("Counter", "c1", 0, e -> { })).isZero();
        assertThat(log).containsExactly("bad before Counter/c1 Counter Add", "bad failed IllegalArgumentException");
    }

    @Test
    void a_rejected_command_reaches_the_interceptor_as_its_exception() {
        Command<Counter> reject = counter -> {
            throw new CommandValidationException("no");
        };
        try (Engine engine = engine(logging("only", c -> c))) {
            assertThatThrownBy(() -> engine.execute(Counter.class, "c1", reject)).isInstanceOf(CommandValidationException.class);
            CommandResult<Counter> nothing = engine.executeResult(Counter.class, "c1", new Nothing(), CommandContext.none());
            assertThat(nothing.events()).isEmpty();
        }
        assertThat(log).containsExactly("only before Counter/c1 Counter " + reject.getClass().getSimpleName(),
                "only failed CommandValidationException", "only before Counter/c1 Counter Nothing",
                "only after 0 events, version 0");
    }

    @Test
    void proceeding_twice_or_returning_nothing_is_an_error_naming_the_interceptor() {
        CommandInterceptor twice = new CommandInterceptor() {
            @Override
            public <A extends AggregateRoot> CommandResult<A> intercept(CommandCall<A> call) {
                call.proceed();
                return call.proceed();
            }
        };
        try (Engine engine = engine(twice)) {
            assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new Add("c1", 1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(twice.getClass().getName())
                    .hasMessageContaining("called proceed() twice for command " + Add.class.getName() + " on Counter/c1");
            assertThat(engine.load(Counter.class, "c1").orElseThrow().value()).isEqualTo(1);   // the first ran
        }
        CommandInterceptor none = new CommandInterceptor() {
            @Override
            public <A extends AggregateRoot> CommandResult<A> intercept(CommandCall<A> call) {
                return null;
            }
        };
        try (Engine engine = engine(none)) {
            assertThatThrownBy(() -> engine.execute(Counter.class, "c2", new Add("c2", 1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("returned no result");
        }
    }
}
