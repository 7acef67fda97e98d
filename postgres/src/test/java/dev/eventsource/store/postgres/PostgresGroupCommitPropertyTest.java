package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a group commit's queue holds (appends to a few streams, some with stale or future
 * expected versions, one to five events each), the outcome is exactly that of running the appends
 * one by one in queue order: the same ones succeed, with the same versions, the others fail with a
 * {@code ConcurrencyException}, and the log holds the successful appends' events in that order at
 * dense positions. The queue is built with {@link GroupCommitGate}, so batches of several appends
 * (one per stream), duplicates waiting for the next batch and all-or-nothing retries all happen.
 */
class PostgresGroupCommitPropertyTest {

    private static final String SCHEMA = "es_t_group_props";
    private static final AtomicInteger TRY = new AtomicInteger();
    private static HikariDataSource pool;

    @BeforeContainer
    static void open() {
        pool = PgTestDatabase.freshSchema(SCHEMA, 4);
    }

    @AfterContainer
    static void close() {
        pool.close();
    }

    /** One append of a queue: to stream {@code stream} of the try, at {@code expected}, {@code events} events. */
    record Append(int stream, long expected, int events) {
    }

    @Provide
    Arbitrary<List<Append>> queues() {
        Arbitrary<Append> append = Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.longs().between(0, 4),
                Arbitraries.integers().between(1, 5)).as(Append::new);
        return append.list().ofMinSize(2).ofMaxSize(9);
    }

    @Property(tries = 40)
    void aQueueEndsAsIfItsAppendsRanOneByOneInQueueOrder(@ForAll("queues") List<Append> queue) throws Exception {
        String prefix = "t" + TRY.incrementAndGet() + "-";
        GroupCommitGate gate = new GroupCommitGate(pool, ds -> PostgresStore.builder(ds).schema(SCHEMA).build());
        try (PostgresStore store = gate.store) {
            long head = store.headPosition();
            List<CompletableFuture<AppendResult>> outcomes = new ArrayList<>();
            List<List<NewEvent>> sent = new ArrayList<>();
            for (int i = 0; i < queue.size(); i++) {
                Append a = queue.get(i);
                List<NewEvent> events = new ArrayList<>();
                for (int e = 0; e < a.events(); e++) {
                    events.add(event("E" + i + "_" + e, "{}"));
                }
                sent.add(events);
                String id = prefix + a.stream();
                outcomes.add(i == 0
                        ? gate.leader(() -> store.append("Order", id, a.expected(), events))
                        : gate.queue(() -> store.append("Order", id, a.expected(), events)));
            }
            gate.open();

            Map<Integer, Long> versions = new HashMap<>();   // the model: one by one, in queue order
            List<NewEvent> logged = new ArrayList<>();
            long position = head;
            for (int i = 0; i < queue.size(); i++) {
                Append a = queue.get(i);
                long current = versions.getOrDefault(a.stream(), 0L);
                if (a.expected() == current) {
                    AppendResult r = outcomes.get(i).get(10, TimeUnit.SECONDS);
                    assertThat(r.version()).as("append %s of %s", i, queue).isEqualTo(current + a.events());
                    assertThat(r.firstPosition()).as("append %s of %s", i, queue).isEqualTo(position + 1);
                    assertThat(r.lastPosition()).isEqualTo(position + a.events());
                    position += a.events();
                    versions.put(a.stream(), current + a.events());
                    logged.addAll(sent.get(i));
                } else {
                    assertThat(GroupCommitGate.failure(outcomes.get(i))).as("append %s of %s", i, queue)
                            .isInstanceOf(ConcurrencyException.class);
                }
            }
            List<StoredEvent> log = store.readLog(head, 1_000);
            assertThat(log).extracting(StoredEvent::eventId).as("the log, for %s", queue)
                    .containsExactlyElementsOf(logged.stream().map(NewEvent::eventId).toList());
            assertThat(log).extracting(StoredEvent::globalPosition).as("dense")
                    .containsExactlyElementsOf(LongStream.rangeClosed(head + 1, position).boxed().toList());
        }
    }
}
