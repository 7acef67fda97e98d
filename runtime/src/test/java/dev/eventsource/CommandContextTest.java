package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.internal.Uuid7;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.testdomain.Counter;
import dev.eventsource.testdomain.Events.Added;
import dev.eventsource.testdomain.Events.Created;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a command's context does: the metadata its events carry, what the command sees, rollback. */
class CommandContextTest {

    private final InMemoryStore store = new InMemoryStore();
    private final Engine engine = engine(store);

    private static Engine engine(dev.eventsource.store.EventStore store) {
        Engine e = Engine.builder().store(store).maxRetries(2).build();
        e.registerAggregate(Counter.class);
        return e;
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private List<Map<String, String>> metadata(String id) {
        List<Map<String, String>> out = new ArrayList<>();
        store.readStream("Counter", id, 0, (StoredEvent e) -> out.add(e.metadata()));
        return out;
    }

    /** Creates the counter; sees its context in validate and perform. */
    record Start(String id, List<CommandContext> seen) implements Command<Counter> {
        @Override
        public void validate(Counter counter, CommandContext context) {
            if ("mallory".equals(context.userId())) {
                throw new CommandValidationException("user mallory may not start counters");
            }
            seen.add(context);
        }

        @Override
        public void perform(Counter counter) {
            throw new AssertionError("the engine calls the two-argument form");
        }

        @Override
        public void perform(Counter counter, CommandContext context) {
            seen.add(context);
            counter.record(new Created(id));
            counter.record(new Added(id, 1));
        }
    }

    @Test
    void every_event_carries_the_context_and_the_command_sees_it() {
        List<CommandContext> seen = new ArrayList<>();
        CommandContext context = CommandContext.builder().commandId("cmd-1").correlationId("req-9")
                .causationId("msg-3").userId("ann").tenantId("acme").header("channel", "web").build();
        engine.execute(Counter.class, "c1", new Start("c1", seen), context);

        assertThat(seen).containsExactly(context, context);
        Map<String, String> expected = Map.of("command-id", "cmd-1", "correlation-id", "req-9", "causation-id", "msg-3",
                "user-id", "ann", "tenant-id", "acme", "channel", "web");
        assertThat(metadata("c1")).containsExactly(expected, expected);
        EventEnvelope<?> first = engine.readStream(Counter.class, "c1").get(0);
        assertThat(first.commandId()).contains("cmd-1");
        assertThat(first.correlationId()).contains("req-9");
        assertThat(first.causationId()).contains("msg-3");
        assertThat(first.userId()).contains("ann");
        assertThat(first.tenantId()).contains("acme");
    }

    @Test
    void without_a_context_each_execute_gets_a_fresh_uuidv7_that_is_also_the_correlation_id() {
        engine.execute(Counter.class, "c1", new Start("c1", new ArrayList<>()));
        engine.execute(Counter.class, "c2", new Start("c2", new ArrayList<>()), Map.of("channel", "batch"));

        Map<String, String> one = metadata("c1").get(0);
        Map<String, String> two = metadata("c2").get(0);
        assertThat(one).containsOnlyKeys("command-id", "correlation-id");
        assertThat(one.get("correlation-id")).isEqualTo(one.get("command-id"));
        assertThat(UUID.fromString(one.get("command-id")).version()).isEqualTo(7);
        assertThat(Uuid7.millis(UUID.fromString(one.get("command-id")))).isPositive();
        assertThat(two).containsEntry("channel", "batch").containsOnlyKeys("command-id", "correlation-id", "channel");
        assertThat(two.get("command-id")).isNotEqualTo(one.get("command-id"));
        assertThat(metadata("c1").get(1)).as("one id for all events of one execute").isEqualTo(one);
    }

    @Test
    void a_header_with_a_reserved_key_is_refused_before_the_command_runs() {
        for (String reserved : List.of("command-id", "correlation-id", "causation-id", "user-id", "tenant-id")) {
            assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new Start("c1", new ArrayList<>()),
                    Map.of(reserved, "x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("metadata key '" + reserved + "' of the command on Counter/'c1' is reserved")
                    .hasMessageContaining("CommandContext.builder().");
        }
        assertThat(store.headPosition()).isZero();
    }

    @Test
    void blank_ids_are_refused_when_the_context_is_built() {
        assertThatThrownBy(() -> CommandContext.builder().commandId(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commandId must not be blank");
        assertThatThrownBy(() -> CommandContext.builder().tenantId("").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenantId must not be blank");
    }

    @Test
    void a_command_rejected_by_its_context_appends_nothing() {
        assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new Start("c1", new ArrayList<>()),
                CommandContext.builder().userId("mallory").build()))
                .isInstanceOf(CommandValidationException.class).hasMessage("user mallory may not start counters");
        assertThat(store.headPosition()).isZero();
    }

    @Test
    void conflict_retries_keep_the_command_id() {
        AtomicInteger appends = new AtomicInteger();
        List<String> ids = new ArrayList<>();
        ForwardingEventStore conflictOnce = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(String type, String id, long expected, List<NewEvent> events) {
                ids.add(events.get(0).metadata().get("command-id"));
                if (appends.getAndIncrement() == 0) {
                    throw new ConcurrencyException(type, id, expected, expected + 1);
                }
                return super.append(type, id, expected, events);
            }
        };
        try (Engine conflicted = engine(conflictOnce)) {
            conflicted.execute(Counter.class, "c1", new Start("c1", new ArrayList<>()));
        }
        assertThat(ids).hasSize(2);
        assertThat(ids.get(1)).isEqualTo(ids.get(0));
    }

    @Test
    void caused_by_derives_a_stable_command_id_and_inherits_correlation_user_and_tenant() {
        UUID eventId = UUID.fromString("01900000-0000-7000-8000-000000000001");
        EventEnvelope<Added> event = new EventEnvelope<>(new Added("c1", 1), "Added", "Counter", "c1", 2, 10, eventId,
                Instant.EPOCH, Map.of("correlation-id", "req-1", "user-id", "ann", "tenant-id", "acme",
                        "command-id", "first"));
        CommandContext one = CommandContext.causedBy(event, "notify");
        CommandContext again = CommandContext.causedBy(event, "notify");
        CommandContext other = CommandContext.causedBy(event, "audit");

        assertThat(one).isEqualTo(again);
        assertThat(one.commandId()).isNotEqualTo(other.commandId()).isNotEqualTo("first");
        assertThat(one.correlationId()).isEqualTo("req-1");
        assertThat(one.causationId()).isEqualTo(eventId.toString());
        assertThat(one.userId()).isEqualTo("ann");
        assertThat(one.tenantId()).isEqualTo("acme");
        EventEnvelope<Added> bare = new EventEnvelope<>(new Added("c1", 1), "Added", "Counter", "c1", 2, 10, eventId,
                Instant.EPOCH, Map.of());
        assertThat(CommandContext.causedBy(bare, "notify").correlationId()).as("an event without one starts a correlation")
                .isEqualTo(eventId.toString());
        assertThatThrownBy(() -> CommandContext.causedBy(event, " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reactionName must not be blank");
    }

    /** Counts its rollbacks; fails in validate, perform, or not at all. */
    static class Tracked implements Command<Counter> {
        final String failIn;
        final List<Exception> rollbacks = new ArrayList<>();
        int runs;

        Tracked(String failIn) {
            this.failIn = failIn;
        }

        @Override
        public void validate(Counter counter) {
            if (failIn.equals("validate")) {
                throw new CommandValidationException("no");
            }
        }

        @Override
        public void perform(Counter counter) {
            runs++;
            if (failIn.equals("perform")) {
                throw new IllegalStateException("perform broke");
            }
            counter.record(new Created("c1"));
        }

        @Override
        public void rollback(Counter counter, Exception cause) {
            rollbacks.add(cause);
            if (failIn.equals("rollback")) {
                throw new IllegalStateException("rollback broke too");
            }
        }
    }

    @Test
    void rollback_runs_once_when_the_command_finally_fails_and_never_on_success() {
        Tracked ok = new Tracked("nothing");
        engine.execute(Counter.class, "c1", ok);
        assertThat(ok.rollbacks).isEmpty();

        Tracked rejected = new Tracked("validate");
        Throwable validation = catchThrown(() -> engine.execute(Counter.class, "c2", rejected));
        assertThat(rejected.rollbacks).containsExactly((Exception) validation);

        Tracked broken = new Tracked("perform");
        Throwable performed = catchThrown(() -> engine.execute(Counter.class, "c3", broken));
        assertThat(broken.rollbacks).containsExactly((Exception) performed);
    }

    @Test
    void rollback_runs_once_after_the_last_conflict_retry_not_per_retry() {
        ForwardingEventStore alwaysConflicting = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(String type, String id, long expected, List<NewEvent> events) {
                throw new ConcurrencyException(type, id, expected, expected + 1);
            }
        };
        Tracked command = new Tracked("nothing");
        try (Engine conflicted = engine(alwaysConflicting)) {
            Throwable gaveUp = catchThrown(() -> conflicted.execute(Counter.class, "c1", command));
            assertThat(gaveUp).isInstanceOf(ConcurrencyException.class).hasMessageContaining("gave up after 3 attempts");
            assertThat(command.runs).isEqualTo(3);
            assertThat(command.rollbacks).containsExactly((Exception) gaveUp);
        }
    }

    @Test
    void an_exception_from_rollback_is_kept_as_suppressed_and_the_cause_reaches_the_caller() {
        Tracked command = new Tracked("rollback") {
            @Override
            public void perform(Counter counter) {
                throw new IllegalStateException("perform broke");
            }
        };
        Throwable thrown = catchThrown(() -> engine.execute(Counter.class, "c1", command));
        assertThat(thrown).hasMessage("perform broke");
        assertThat(thrown.getSuppressed()).singleElement().satisfies(s -> assertThat(s).hasMessage("rollback broke too"));
    }

    @Test
    void read_stream_and_read_log_decode_the_events() {
        engine.execute(Counter.class, "c1", new Start("c1", new ArrayList<>()));
        engine.execute(Counter.class, "c2", new Start("c2", new ArrayList<>()));

        assertThat(engine.readStream(Counter.class, "c1")).extracting(e -> (Object) e.data())
                .containsExactly(new Created("c1"), new Added("c1", 1));
        assertThat(engine.readStream(Counter.class, "nobody")).isEmpty();
        List<EventEnvelope<?>> log = engine.readLog(1, 10);
        assertThat(log).extracting(EventEnvelope::globalPosition).containsExactly(2L, 3L, 4L);
        assertThat(log).extracting(e -> (Object) e.data()).containsExactly(new Added("c1", 1), new Created("c2"),
                new Added("c2", 1));
        assertThat(engine.readLog(4, 10)).isEmpty();

        store.append("Stranger", "s1", 0, List.of(new NewEvent(UUID.randomUUID(), "Unknown", 1, Instant.EPOCH,
                "{}".getBytes(StandardCharsets.UTF_8), null), new NewEvent(UUID.randomUUID(), "Unknown", 1, Instant.EPOCH,
                "{}".getBytes(StandardCharsets.UTF_8), null)));
        engine.execute(Counter.class, "c3", new Start("c3", new ArrayList<>()));
        assertThat(engine.readLog(4, 2)).as("another application's events are passed over, and the read goes past them")
                .extracting(EventEnvelope::globalPosition).containsExactly(7L, 8L);
        assertThat(engine.readLog(8, 10)).isEmpty();
        store.append("Counter", "c4", 0, List.of(new NewEvent(UUID.randomUUID(), "Created", 1, Instant.EPOCH,
                "not json".getBytes(StandardCharsets.UTF_8), null)));
        assertThatThrownBy(() -> engine.readLog(8, 10)).as("a known type that does not decode is not skipped")
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("Counter/c4");
        assertThatThrownBy(() -> engine.readLog(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.readLog(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Throwable catchThrown(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected an exception");
    }
}
