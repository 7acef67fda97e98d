package dev.eventsource.tests.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.CommandValidationException;
import dev.eventsource.Engine;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.tests.bank.BankCommands.CheckBalance;
import dev.eventsource.tests.bank.BankCommands.Deposit;
import dev.eventsource.tests.bank.BankCommands.Open;
import dev.eventsource.tests.bank.BankCommands.Withdraw;
import dev.eventsource.tests.bank.BankCommands.WithdrawThenCrash;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Commands, concurrency, snapshots and close over a domain compiled by the processor. */
class BankCommandsTest {

    private final InMemoryStore store = new InMemoryStore();
    private final Engine engine = open(store);

    private static Engine open(InMemoryStore store) {
        Engine engine = new Engine(store);
        engine.registerAggregate(BankAccount.class);
        return engine;
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private List<StoredEvent> events(String id) {
        List<StoredEvent> out = new ArrayList<>();
        store.readStream("bank-account", id, 0, out::add);
        return out;
    }

    @Test
    void newIdCreatesAndEventsAreStoredWithGeneratedCodecs() {
        BankAccount account = engine.execute(BankAccount.class, "acc-1", new Open("acc-1", "ann"));
        engine.execute(BankAccount.class, "acc-1", new Deposit("acc-1", 500));
        engine.execute(BankAccount.class, "acc-1", new Withdraw("acc-1", 200));

        assertThat(account.owner).isEqualTo("ann");
        assertThat(engine.load(BankAccount.class, "acc-1")).hasValueSatisfying(a -> {
            assertThat(a.balance).isEqualTo(300);
            assertThat(a.version()).isEqualTo(3);
        });
        List<StoredEvent> stored = events("acc-1");
        assertThat(stored).extracting(StoredEvent::eventType)
                .containsExactly("bank.AccountOpened", "bank.Deposited", "bank.Withdrawn");
        assertThat(stored.get(2).eventVersion()).isEqualTo(2);
        assertThat(new String(stored.get(2).payload(), StandardCharsets.UTF_8))
                .contains("\"cents\":200").contains("\"reason\":\"atm\"");
        assertThat(engine.load(BankAccount.class, "acc-unknown")).isEmpty();
    }

    @Test
    void rejectedFailedAndEmptyCommandsAppendNothing() {
        engine.execute(BankAccount.class, "acc-1", new Deposit("acc-1", 100));
        long head = store.headPosition();

        assertThatThrownBy(() -> engine.execute(BankAccount.class, "acc-1", new Withdraw("acc-1", 1_000)))
                .isInstanceOf(CommandValidationException.class)
                .hasMessage("insufficient funds in acc-1: 100 < 1000");
        assertThatThrownBy(() -> engine.execute(BankAccount.class, "acc-1", new Open("acc-1", "bob")))
                .isInstanceOf(CommandValidationException.class);
        assertThatThrownBy(() -> engine.execute(BankAccount.class, "acc-1", new WithdrawThenCrash("acc-1")))
                .isInstanceOf(IllegalStateException.class).hasMessage("teller crashed");
        BankAccount checked = engine.execute(BankAccount.class, "acc-1", new CheckBalance("acc-1"));

        assertThat(store.headPosition()).isEqualTo(head);
        assertThat(checked.balance).isEqualTo(100);
        assertThat(engine.execute(BankAccount.class, "acc-1", new Withdraw("acc-1", 100)).balance).isZero();
        assertThat(engine.execute(BankAccount.class, "acc-new", new CheckBalance("acc-new")).version()).isZero();
        assertThat(engine.load(BankAccount.class, "acc-new")).isEmpty();
    }

    @Test
    void eightThreadsTimesAThousandCommandsOnTenAccountsLoseNoUpdate() throws Exception {
        int threads = 8;
        int perThread = 1_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Integer> worker = () -> {
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        String id = "acc-" + (i * 7 + thread) % 10;
                        try {
                            engine.execute(BankAccount.class, id, new Deposit(id, 1));
                            ok++;
                        } catch (ConcurrencyException e) {
                            assertThat(e.streamId()).isEqualTo(id);
                        }
                    }
                    return ok;
                };
                results.add(pool.submit(worker));
            }
            int succeeded = 0;
            for (Future<Integer> f : results) {
                succeeded += f.get(60, TimeUnit.SECONDS);
            }
            long total = 0;
            for (int a = 0; a < 10; a++) {
                total += engine.load(BankAccount.class, "acc-" + a).orElseThrow().balance;
            }
            assertThat(total).isEqualTo(succeeded);
            assertThat(succeeded).isGreaterThan(threads * perThread / 2);
        } finally {
            pool.shutdownNow();
        }
    }

    private Snapshot awaitSnapshot(String id, long version) {
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < deadline; ) {
            var snapshot = store.loadSnapshot("bank-account", id);
            if (snapshot.isPresent() && snapshot.get().version() >= version) {
                return snapshot.get();
            }
            LockSupport.parkNanos(1_000_000);
        }
        throw new AssertionError("no snapshot of " + id + " at " + version);
    }

    @Test
    void loadStartsFromTheNewestSnapshotAndCountsFewerApplyCalls() {
        engine.execute(BankAccount.class, "acc-s", new Open("acc-s", "sam"));
        for (int i = 0; i < 11; i++) {
            engine.execute(BankAccount.class, "acc-s", new Deposit("acc-s", 10));
        }
        Snapshot snapshot = awaitSnapshot("acc-s", 10);
        assertThat(snapshot.version()).isEqualTo(10);

        BankAccount.APPLY_CALLS.set(0);
        BankAccount loaded = engine.load(BankAccount.class, "acc-s").orElseThrow();

        assertThat(BankAccount.APPLY_CALLS.get()).isEqualTo(2);
        assertThat(loaded.balance).isEqualTo(110);
        assertThat(loaded.owner).isEqualTo("sam");
        assertThat(loaded.version()).isEqualTo(12);
    }

    @Test
    void snapshotOfAnotherShapeIsIgnoredAndEverythingReplayed() {
        for (int i = 0; i < 12; i++) {
            engine.execute(BankAccount.class, "acc-f", new Deposit("acc-f", 10));
        }
        Snapshot real = awaitSnapshot("acc-f", 10);
        store.saveSnapshot(new Snapshot(real.streamType(), real.streamId(), 13, real.fingerprint() ^ 1,
                "{\"id\":\"acc-f\",\"owner\":\"mallory\",\"balance\":1}".getBytes(StandardCharsets.UTF_8), Instant.now()));

        BankAccount.APPLY_CALLS.set(0);
        BankAccount loaded = engine.load(BankAccount.class, "acc-f").orElseThrow();

        assertThat(BankAccount.APPLY_CALLS.get()).isEqualTo(13);
        assertThat(loaded.balance).isEqualTo(120);
        assertThat(loaded.owner).isEqualTo("anonymous");
    }

    @Test
    void closeIsIdempotentAndRejectsLaterCommandsClearly() {
        engine.execute(BankAccount.class, "acc-1", new Deposit("acc-1", 1));
        engine.close();
        engine.close();

        assertThatThrownBy(() -> engine.execute(BankAccount.class, "acc-1", new Deposit("acc-1", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("engine is closed: command " + Deposit.class.getName() + " on bank-account/acc-1 rejected");
        try (Engine reopened = open(store)) {
            assertThat(reopened.load(BankAccount.class, "acc-1").orElseThrow().balance).isEqualTo(1);
        }
    }
}
