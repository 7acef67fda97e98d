package dev.eventsource.tests.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.Engine;
import dev.eventsource.UnreadableEvents;
import dev.eventsource.UnreadableEventsException;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEventType;
import dev.eventsource.tests.bank.Balances;
import dev.eventsource.tests.bank.BankAccount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link Engine#start()} compares the (stream type, event type, version) combinations in the store
 * with what the registered aggregates and projections read: by default it refuses to start, naming
 * each unreadable one; {@code unreadableEvents(WARN)} logs them and starts. The bank domain reads
 * {@code bank.AccountOpened} v1, {@code bank.Deposited} v1 and {@code bank.Withdrawn} v2 only. Each
 * store runs it with a thin subclass.
 */
abstract class UnreadableEventsContract {

    /** A store that starts empty for each call. */
    abstract EventStore store();

    static NewEvent stored(String eventType, int version, String json) {
        return new NewEvent(UUID.randomUUID(), eventType, version, Instant.parse("2026-01-02T03:04:05Z"),
                json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** What the bank domain reads, plus another application's stream type the engine must leave alone. */
    static void appendReadable(EventStore store) {
        store.append("bank-account", "a1", 0, List.of(stored("bank.AccountOpened", 1, "{\"accountId\":\"a1\",\"owner\":\"ann\"}"),
                stored("bank.Deposited", 1, "{\"accountId\":\"a1\",\"cents\":500}"),
                stored("bank.Withdrawn", 2, "{\"accountId\":\"a1\",\"cents\":200,\"reason\":\"atm\"}")));
        store.append("crm-contact", "c1", 0, List.of(stored("ContactAdded", 9, "{}")));
    }

    /** Stored by a newer build, an older one and a build that had a type this one lost. */
    static void appendUnreadable(EventStore store) {
        store.append("bank-account", "a2", 0, List.of(stored("bank.AccountOpened", 1, "{\"accountId\":\"a2\",\"owner\":\"bob\"}"),
                stored("bank.Closed", 1, "{}"),                       // a type no class of this build has
                stored("bank.Deposited", 2, "{}"),                    // newer than the build
                stored("bank.Withdrawn", 1, "{}")));                  // older than oldestVersion(), no legacy class
        store.append("ledger", "l1", 0, List.of(stored("bank.Deposited", 3, "{}")));   // the projection's type, newer
    }

    private static Engine engine(EventStore store, UnreadableEvents policy) {
        Engine engine = Engine.builder().store(store).unreadableEvents(policy).build();
        engine.registerAggregate(BankAccount.class);
        engine.registerProjection(new Balances());
        return engine;
    }

    @Test
    void storedCombinationsThisBuildReadsStartFine() {
        EventStore store = store();
        appendReadable(store);

        try (Engine engine = engine(store, UnreadableEvents.REFUSE)) {
            engine.start();
            assertThat(engine.load(BankAccount.class, "a1")).isPresent().get().extracting(BankAccount::version).isEqualTo(3L);
        }
    }

    @Test
    void unreadableCombinationsRefuseTheStartNamingEachAndTheFix() {
        EventStore store = store();
        appendReadable(store);
        appendUnreadable(store);

        try (Engine engine = engine(store, UnreadableEvents.REFUSE)) {
            assertThatThrownBy(engine::start).isInstanceOfSatisfying(UnreadableEventsException.class, e -> {
                assertThat(e.unreadable()).containsExactly(new StoredEventType("bank-account", "bank.Closed", 1),
                        new StoredEventType("bank-account", "bank.Deposited", 2),
                        new StoredEventType("bank-account", "bank.Withdrawn", 1),
                        new StoredEventType("ledger", "bank.Deposited", 3));
                assertThat(e.getMessage())
                        .startsWith("engine start refused: the store holds 4 kind(s) of events this build cannot read")
                        .contains("Engine.builder().unreadableEvents(UnreadableEvents.WARN)")
                        .contains("\n  - bank-account/bank.Closed v1: aggregate " + BankAccount.class.getName()
                                + " applies no event type 'bank.Closed' (it reads [bank.AccountOpened v1, bank.Deposited v1,"
                                + " bank.Withdrawn v2]); if the type was renamed, add @EventType(aliases = \"bank.Closed\")")
                        .contains("\n  - bank-account/bank.Deposited v2: dev.eventsource.tests.bank.Deposited reads"
                                + " bank.Deposited v1; version 2 was written by a newer build of the application: deploy that build")
                        .contains("\n  - bank-account/bank.Withdrawn v1: dev.eventsource.tests.bank.Withdrawn reads bank.Withdrawn v2;"
                                + " add a legacy class @EventType(name = \"bank.Withdrawn\", version = 1) with an @Upcast method"
                                + " to version 2")
                        .contains("\n  - ledger/bank.Deposited v3: ")
                        .doesNotContain("crm-contact");
            });
        }
    }

    @Test
    void warnStartsAndLogsEachUnreadableCombination() {
        EventStore store = store();
        appendReadable(store);
        appendUnreadable(store);

        String log;
        try (Engine engine = engine(store, UnreadableEvents.WARN)) {
            log = stderrOf(engine::start);
            assertThat(engine.load(BankAccount.class, "a1")).as("the readable streams work").isPresent();
        }
        assertThat(log).contains("WARN").contains("starting anyway: unreadableEvents(WARN)")
                .contains("bank-account/bank.Closed v1").contains("bank-account/bank.Deposited v2")
                .contains("bank-account/bank.Withdrawn v1").contains("ledger/bank.Deposited v3");
    }

    @Test
    void aStoreWithoutTheRoleIsNotChecked() {
        EventStore store = store();
        appendUnreadable(store);
        EventStore withoutRole = new ForwardingEventStore(store) { };   // forwards the EventStore roles only

        try (Engine engine = engine(withoutRole, UnreadableEvents.REFUSE)) {
            engine.start();
        }
    }

    /** What slf4j-simple (which writes to the current System.err) logs while {@code action} runs. */
    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
