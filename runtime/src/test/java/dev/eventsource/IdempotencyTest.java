package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.store.InMemoryStore;
import dev.eventsource.testdomain.Counter;
import dev.eventsource.testdomain.Events.Added;
import dev.eventsource.testdomain.Events.Created;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A command sent twice with one command id is stored once, on the in-memory store. */
class IdempotencyTest {

    private final InMemoryStore store = new InMemoryStore();
    private final Engine engine = engine(store);

    private static Engine engine(dev.eventsource.store.EventStore store) {
        Engine e = Engine.builder().store(store).build();
        e.registerAggregate(Counter.class);
        return e;
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static CommandContext id(String commandId) {
        return CommandContext.builder().commandId(commandId).build();
    }

    /** Creates the counter, refusing an existing one; counts its rollbacks. */
    static final class Open implements Command<Counter> {
        final String id;
        final AtomicInteger rollbacks = new AtomicInteger();

        Open(String id) {
            this.id = id;
        }

        @Override
        public void validate(Counter counter) {
            if (counter.version() > 0) {
                throw new CommandValidationException("counter " + id + " exists already");
            }
        }

        @Override
        public void perform(Counter counter) {
            counter.record(new Created(id));
        }

        @Override
        public void rollback(Counter counter, Exception cause) {
            rollbacks.incrementAndGet();
        }
    }

    /** Adds one, every time it runs: not idempotent by itself. */
    record AddOne(String id) implements Command<Counter> {
        @Override
        public void perform(Counter counter) {
            if (counter.version() == 0) {
                counter.record(new Created(id));
            }
            counter.record(new Added(id, 1));
        }
    }

    @Test
    void a_resent_command_appends_nothing_and_says_it_was_a_duplicate() {
        CommandResult<Counter> first = engine.executeResult(Counter.class, "c1", new AddOne("c1"), id("req-1"));
        CommandResult<Counter> again = engine.executeResult(Counter.class, "c1", new AddOne("c1"), id("req-1"));

        assertThat(first.duplicate()).isFalse();
        assertThat(first.events()).extracting(e -> (Object) e.data()).containsExactly(new Created("c1"), new Added("c1", 1));
        assertThat(first.events()).extracting(EventEnvelope::version).containsExactly(1L, 2L);
        assertThat(first.events()).extracting(EventEnvelope::globalPosition).containsExactly(1L, 2L);
        assertThat(first.events().get(0).commandId()).contains("req-1");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.events()).isEmpty();
        assertThat(again.aggregate().value()).isEqualTo(1);
        assertThat(store.headPosition()).isEqualTo(2);
        assertThat(store.commandVersion("Counter", "c1", "req-1")).isEqualTo(1);

        assertThat(engine.execute(Counter.class, "c1", new AddOne("c1"), id("req-2")).value()).isEqualTo(2);
        assertThat(engine.execute(Counter.class, "c2", new AddOne("c2"), id("req-1")).value())
                .as("ids are per stream").isEqualTo(1);
        assertThat(engine.execute(Counter.class, "c1", new AddOne("c1")).value()).as("no id: always new").isEqualTo(3);
        assertThat(engine.execute(Counter.class, "c1", new AddOne("c1")).value()).isEqualTo(4);
    }

    @Test
    void a_resend_that_its_own_effect_now_rejects_is_a_duplicate_not_a_failure() {
        Open open = new Open("c1");
        engine.execute(Counter.class, "c1", open, id("open-c1"));
        CommandResult<Counter> again = engine.executeResult(Counter.class, "c1", open, id("open-c1"));

        assertThat(again.duplicate()).isTrue();
        assertThat(open.rollbacks).as("a duplicate is no failure").hasValue(0);
        assertThatThrownBy(() -> engine.execute(Counter.class, "c1", open, id("open-c1-other")))
                .isInstanceOf(CommandValidationException.class).hasMessage("counter c1 exists already");
        assertThat(open.rollbacks).hasValue(1);
        assertThat(store.headPosition()).isEqualTo(1);
    }

    // Eight threads over two engines and a resend after a lost commit reply: IdempotencyContract in the tests
    // module, on this store and on PostgreSQL.
}
