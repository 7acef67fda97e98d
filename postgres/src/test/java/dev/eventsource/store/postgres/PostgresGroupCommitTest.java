package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.StoredEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group commit: appends that queue while another commits go out together as one statement, one per
 * stream, and one request's failure stays its own. The queue is built deterministically: the first
 * caller's connection is held at a gate while the others queue one by one (each waits parked).
 */
class PostgresGroupCommitTest {

    private static final String SCHEMA = "es_t_group";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 4);

    @Test
    void appendsQueuedBehindACommitShareOneStatement() throws Exception {
        GroupCommitGate gate = gate();
        PostgresStore store = gate.store;
        long head = store.headPosition();
        gate.trips.reset();

        List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
        appends.add(gate.leader(() -> one(store, "g-lead", 0, "OrderCreated")));
        for (int i = 0; i < 7; i++) {
            String id = "g-" + i;
            appends.add(gate.queue(() -> store.append("Order", id, 0, List.of(event("OrderCreated", "{}"), event("OrderPaid", "{}")))));
        }
        gate.open();

        List<Long> positions = new ArrayList<>();
        for (CompletableFuture<AppendResult> f : appends) {
            AppendResult r = f.get(10, TimeUnit.SECONDS);
            for (long p = r.firstPosition(); p <= r.lastPosition(); p++) {
                positions.add(p);
            }
        }
        assertThat(gate.trips.calls()).as("the leader's own statement (lone form), then one for the seven queued appends (group form)")
                .containsExactly("executeUpdate", "executeQuery");
        assertThat(positions).as("dense, each position once").hasSize(15).doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p).isBetween(head + 1, head + 15));
        assertThat(store.headPosition()).isEqualTo(head + 15);
        List<StoredEvent> queued = store.readLog(head + 1, 100);
        assertThat(queued).extracting(StoredEvent::streamId).as("in queue order, each stream's events together")
                .containsExactly("g-0", "g-0", "g-1", "g-1", "g-2", "g-2", "g-3", "g-3", "g-4", "g-4", "g-5", "g-5", "g-6", "g-6");
        assertThat(queued).extracting(StoredEvent::version).containsExactly(1L, 2L, 1L, 2L, 1L, 2L, 1L, 2L, 1L, 2L, 1L, 2L, 1L, 2L);
    }

    @Test
    void aSecondAppendToAStreamGoesInTheNextStatementAndSeesTheFirst() throws Exception {
        GroupCommitGate gate = gate();
        PostgresStore store = gate.store;
        gate.trips.reset();

        CompletableFuture<AppendResult> lead = gate.leader(() -> one(store, "s-lead", 0, "A"));
        CompletableFuture<AppendResult> first = gate.queue(() -> one(store, "s-1", 0, "A"));
        CompletableFuture<AppendResult> next = gate.queue(() -> one(store, "s-1", 1, "B"));
        CompletableFuture<AppendResult> other = gate.queue(() -> one(store, "s-2", 0, "A"));
        gate.open();

        assertThat(lead.get(10, TimeUnit.SECONDS).version()).isEqualTo(1);
        assertThat(first.get(10, TimeUnit.SECONDS).version()).isEqualTo(1);
        assertThat(next.get(10, TimeUnit.SECONDS).version()).as("checked after the first committed").isEqualTo(2);
        assertThat(other.get(10, TimeUnit.SECONDS).version()).isEqualTo(1);
        assertThat(gate.trips.calls()).as("the leader's, the first's (alone), then the second's with the other's")
                .containsExactly("executeUpdate", "executeUpdate", "executeQuery");
    }

    @Test
    void aConflictingRequestInAGroupIsRejectedAloneAndTheOthersGoAgainWithoutIt() throws Exception {
        GroupCommitGate gate = gate();
        PostgresStore store = gate.store;
        one(store, "c-moved", 0, "A");
        long head = store.headPosition();
        gate.trips.reset();

        CompletableFuture<AppendResult> lead = gate.leader(() -> one(store, "c-lead", 0, "A"));
        CompletableFuture<AppendResult> before = gate.queue(() -> one(store, "c-1", 0, "A"));
        CompletableFuture<AppendResult> stale = gate.queue(() -> one(store, "c-moved", 0, "B"));
        CompletableFuture<AppendResult> after = gate.queue(() -> one(store, "c-2", 0, "A"));
        gate.open();

        assertThat(lead.get(10, TimeUnit.SECONDS).firstPosition()).isEqualTo(head + 1);
        assertThat(GroupCommitGate.failure(stale)).isInstanceOf(ConcurrencyException.class).hasMessageContaining("c-moved");
        assertThat(before.get(10, TimeUnit.SECONDS).firstPosition()).isEqualTo(head + 2);
        assertThat(after.get(10, TimeUnit.SECONDS).firstPosition()).as("right after the one before: no hole").isEqualTo(head + 3);
        assertThat(gate.trips.calls())
                .as("the leader's; the group's, which stores nothing and names the conflict; the others' again; the stream's version")
                .containsExactly("executeUpdate", "executeQuery", "executeQuery", "executeQuery");
    }

    @Test
    void aRequestWhoseDataBreaksTheGroupStatementFailsAloneAndTheOthersCommit() throws Exception {
        GroupCommitGate gate = gate();
        PostgresStore store = gate.store;
        NewEvent stored = event("OrderCreated", "{}");
        store.append("Order", "b-stored", 0, List.of(stored));
        one(store, "b-moved", 0, "A");
        long head = store.headPosition();

        CompletableFuture<AppendResult> lead = gate.leader(() -> one(store, "b-lead", 0, "A"));
        CompletableFuture<AppendResult> before = gate.queue(() -> one(store, "b-1", 0, "A"));
        CompletableFuture<AppendResult> stale = gate.queue(() -> one(store, "b-moved", 0, "B"));
        CompletableFuture<AppendResult> bad = gate.queue(() -> store.append("Order", "b-dup", 0,
                List.of(new NewEvent(stored.eventId(), "D", 1, stored.timestamp(), stored.payload(), stored.metadata()))));
        CompletableFuture<AppendResult> after = gate.queue(() -> one(store, "b-2", 0, "A"));
        gate.open();

        assertThat(lead.get(10, TimeUnit.SECONDS).version()).isEqualTo(1);
        assertThat(GroupCommitGate.failure(bad)).isInstanceOf(StoreException.class).hasMessageContaining("Order/b-dup")
                .hasMessageContaining("event id");
        assertThat(GroupCommitGate.failure(stale)).isInstanceOf(ConcurrencyException.class).hasMessageContaining("b-moved");
        assertThat(before.get(10, TimeUnit.SECONDS).version()).as("retried alone after the group failed").isEqualTo(1);
        assertThat(after.get(10, TimeUnit.SECONDS).version()).isEqualTo(1);
        assertThat(store.readLog(head, 100)).extracting(StoredEvent::streamId).as("dense, in queue order")
                .containsExactly("b-lead", "b-1", "b-2");
        assertThat(store.headPosition()).isEqualTo(head + 3);
    }

    /** A store of this class's schema whose appends go through a fresh gate. */
    private static GroupCommitGate gate() {
        GroupCommitGate gate = new GroupCommitGate(db.dataSource(), through -> db.store(through, b -> b));
        // The event types these tests append, recorded by the new store once: the round trips counted are the steady state's.
        gate.store.append("Order", "warm-" + UUID.randomUUID(), 0,
                List.of(event("OrderCreated", "{}"), event("OrderPaid", "{}"), event("A", "{}"), event("B", "{}")));
        return gate;
    }

    private static AppendResult one(PostgresStore store, String id, long expected, String type) {
        return store.append("Order", id, expected, List.of(event(type, "{}")));
    }
}
