package dev.eventsource.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.CommandContext;
import dev.eventsource.CommandResult;
import dev.eventsource.Engine;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.CommandIds;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoreException;
import dev.eventsource.tests.reliability.Notebook.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A command sent more than once with one command id is stored once, whoever sends it: eight threads
 * of one engine at once, two engines (as two processes would), or a resend after the reply to the
 * commit was lost. {@link Write} records a note every time it runs, so only the command id keeps it
 * from being stored twice. Run on every store with the {@link CommandIds} role by a thin subclass.
 */
abstract class IdempotencyContract {

    /** The store under test, with the {@link CommandIds} role; the same instance for the whole class. */
    abstract EventStore store();

    private CommandIds ids() {
        return (CommandIds) store();
    }

    private Engine engine(EventStore store) {
        Engine engine = Engine.builder().store(store).build();
        engine.registerAggregate(Notebook.class);
        return engine;
    }

    private static CommandContext id(String commandId) {
        return CommandContext.builder().commandId(commandId).build();
    }

    @Test
    void eight_threads_sending_one_command_id_at_once_store_it_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Engine one = engine(store()); Engine two = engine(store())) {
            for (int round = 0; round < 10; round++) {
                String notebook = "nb-" + UUID.randomUUID();
                one.execute(Notebook.class, notebook, new Write(Noted.text("first")));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<CommandResult<Notebook>>> sent = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    Engine engine = t % 2 == 0 ? one : two;      // two engines: as two processes would
                    Callable<CommandResult<Notebook>> send = () -> {
                        go.await();
                        return engine.executeResult(Notebook.class, notebook, new Write(Noted.text("once")), id("req-once"));
                    };
                    sent.add(pool.submit(send));
                }
                go.countDown();
                int stored = 0;
                for (Future<CommandResult<Notebook>> f : sent) {
                    CommandResult<Notebook> r = f.get(60, TimeUnit.SECONDS);
                    stored += r.duplicate() ? 0 : 1;
                    assertThat(r.events()).hasSize(r.duplicate() ? 0 : 1);
                }
                assertThat(stored).as("round %d", round).isEqualTo(1);
                assertThat(one.readStream(Notebook.class, notebook)).hasSize(2);
                assertThat(two.load(Notebook.class, notebook).orElseThrow().version()).isEqualTo(2);
                assertThat(ids().commandVersion("notebook", notebook, "req-once")).isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_resend_after_the_commit_reply_was_lost_stores_nothing() {
        AtomicBoolean loseReply = new AtomicBoolean(true);
        EventStore real = store();
        class LostReply extends ForwardingEventStore implements CommandIds {
            LostReply() {
                super(real);
            }

            @Override
            public AppendResult append(String type, String id, long expected, List<NewEvent> events) {
                AppendResult stored = super.append(type, id, expected, events);
                if (loseReply.getAndSet(false)) {
                    throw new StoreException("connection reset while committing: the events may or may not be stored");
                }
                return stored;
            }

            @Override
            public long commandVersion(String streamType, String streamId, String commandId) {
                return ids().commandVersion(streamType, streamId, commandId);
            }
        }
        String notebook = "nb-" + UUID.randomUUID();
        try (Engine flaky = engine(new LostReply())) {
            assertThatThrownBy(() -> flaky.execute(Notebook.class, notebook, new Write(Noted.text("n")), id("req-1")))
                    .isInstanceOf(StoreException.class).hasMessageContaining("may or may not be stored");
        }
        try (Engine restarted = engine(real)) {
            CommandResult<Notebook> resent = restarted.executeResult(Notebook.class, notebook, new Write(Noted.text("n")),
                    id("req-1"));
            assertThat(resent.duplicate()).isTrue();
            assertThat(resent.events()).isEmpty();
            assertThat(restarted.readStream(Notebook.class, notebook)).hasSize(1);
            CommandResult<Notebook> next = restarted.executeResult(Notebook.class, notebook, new Write(Noted.text("m")),
                    id("req-2"));
            assertThat(next.duplicate()).isFalse();
            assertThat(next.events()).singleElement().satisfies(e -> assertThat(e.commandId()).contains("req-2"));
        }
    }
}
