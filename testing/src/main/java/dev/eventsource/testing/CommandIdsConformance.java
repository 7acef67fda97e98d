package dev.eventsource.testing;

import static dev.eventsource.testing.Fixtures.newId;
import static dev.eventsource.testing.Fixtures.newType;
import static dev.eventsource.testing.Fixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.store.AppendEvents;
import dev.eventsource.store.CommandIds;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.DuplicateCommandException;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the optional {@link CommandIds} role: the command ids in the metadata of an
 * append's events (one per command: an event whose id differs from the previous event's starts one)
 * are remembered with the stream; a later append holding one of them, or an append holding one id
 * twice, is refused with {@link DuplicateCommandException} (whatever its expected version, also when
 * sent concurrently) and stores nothing; other streams, other ids and appends without an id are
 * unaffected.
 *
 * <pre>{@code
 * class InMemoryCommandIdsTest extends CommandIdsConformance<InMemoryStore> {
 *     @Override protected InMemoryStore createStore() {
 *         return new InMemoryStore();
 *     }
 * }
 * }</pre>
 *
 * @param <S> the type of the store under test
 */
public abstract class CommandIdsConformance<S extends CommandIds & AppendEvents & ReadStream> extends RoleConformance<S> {

    private static List<NewEvent> byCommand(String commandId, int n) {
        List<NewEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, String> metadata = commandId == null ? Map.of() : Map.of(CommandIds.METADATA_KEY, commandId);
            events.add(new NewEvent(UUID.randomUUID(), "Counted", 1, Instant.now().truncatedTo(ChronoUnit.MICROS),
                    ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), metadata));
        }
        return events;
    }

    @Test
    void theCommandIdOfAnAppendIsRemembered() {
        String type = newType();
        String id = newId();
        assertThat(store.commandVersion(type, id, "cmd-1")).isZero();

        store.append(type, id, 0, byCommand("cmd-1", 2));
        store.append(type, id, 2, byCommand("cmd-2", 3));

        assertThat(store.commandVersion(type, id, "cmd-1")).isEqualTo(1);
        assertThat(store.commandVersion(type, id, "cmd-2")).isEqualTo(3);
        assertThat(store.commandVersion(type, id, "cmd-3")).isZero();
        assertThat(store.commandVersion(type, newId(), "cmd-1")).isZero();
    }

    /** The events of several commands, in order: {@code commands[k]} recorded {@code counts[k]} events. */
    private static List<NewEvent> byCommands(String[] commands, int... counts) {
        List<NewEvent> events = new ArrayList<>();
        for (int k = 0; k < commands.length; k++) {
            events.addAll(byCommand(commands[k], counts[k]));
        }
        return events;
    }

    @Test
    void anAppendOfSeveralCommandsRemembersEachWithItsFirstEvent() {
        String type = newType();
        String id = newId();
        store.append(type, id, 0, byCommands(new String[] {"cmd-a", "cmd-b", "cmd-c"}, 2, 1, 3));

        assertThat(store.commandVersion(type, id, "cmd-a")).isEqualTo(1);
        assertThat(store.commandVersion(type, id, "cmd-b")).isEqualTo(3);
        assertThat(store.commandVersion(type, id, "cmd-c")).isEqualTo(4);
        assertThatThrownBy(() -> store.append(type, id, 6, byCommand("cmd-b", 1)))
                .isInstanceOfSatisfying(DuplicateCommandException.class, e -> assertThat(e.commandId()).isEqualTo("cmd-b"));
        assertThat(stream(store, type, id)).hasSize(6);
    }

    @Test
    void anAppendHoldingAStoredIdAfterNewOnesIsRefusedWhole() {
        String type = newType();
        String id = newId();
        store.append(type, id, 0, byCommand("cmd-1", 1));

        assertThatThrownBy(() -> store.append(type, id, 1, byCommands(new String[] {"cmd-2", "cmd-1"}, 1, 1)))
                .isInstanceOfSatisfying(DuplicateCommandException.class, e -> assertThat(e.commandId()).isEqualTo("cmd-1"));
        assertThat(stream(store, type, id)).hasSize(1);
        assertThat(store.commandVersion(type, id, "cmd-2")).as("nothing of the refused append is remembered").isZero();
        assertThatThrownBy(() -> store.append(type, id, 1, byCommands(new String[] {"cmd-3", "cmd-4", "cmd-3"}, 1, 1, 1)))
                .as("one id twice in one append")
                .isInstanceOfSatisfying(DuplicateCommandException.class, e -> assertThat(e.commandId()).isEqualTo("cmd-3"));
        assertThat(stream(store, type, id)).hasSize(1);
        store.append(type, id, 1, byCommands(new String[] {"cmd-2", null, "cmd-5"}, 1, 2, 1));
        assertThat(store.commandVersion(type, id, "cmd-2")).isEqualTo(2);
        assertThat(store.commandVersion(type, id, "cmd-5")).isEqualTo(5);
    }

    @Test
    void manyCommandsOnOneStreamAreEachRemembered() {
        String type = newType();
        String id = newId();
        int commands = 100;
        for (int n = 0; n < commands; n++) {
            store.append(type, id, n, byCommand("cmd-" + n, 1));
        }
        for (int n = 0; n < commands; n++) {
            assertThat(store.commandVersion(type, id, "cmd-" + n)).as("cmd-%d", n).isEqualTo(n + 1);
        }
        assertThat(store.commandVersion(type, id, "cmd-" + commands)).isZero();
        for (int n = 0; n < commands; n += 7) {
            int version = n;
            assertThatThrownBy(() -> store.append(type, id, commands, byCommand("cmd-" + version, 1)))
                    .isInstanceOf(DuplicateCommandException.class);
        }
        assertThat(stream(store, type, id)).hasSize(commands);
    }

    @Test
    void aSecondAppendWithTheSameIdIsRefusedAndStoresNothing() {
        String type = newType();
        String id = newId();
        store.append(type, id, 0, byCommand("cmd-1", 2));

        assertThatThrownBy(() -> store.append(type, id, 2, byCommand("cmd-1", 1)))
                .isInstanceOfSatisfying(DuplicateCommandException.class, e -> {
                    assertThat(e.streamType()).isEqualTo(type);
                    assertThat(e.streamId()).isEqualTo(id);
                    assertThat(e.commandId()).isEqualTo("cmd-1");
                })
                .hasMessageContaining("command cmd-1 was already stored on " + type + "/" + id);
        assertThat(stream(store, type, id)).hasSize(2);
        store.append(type, id, 2, byCommand("cmd-2", 1));
        assertThat(stream(store, type, id)).hasSize(3);
    }

    @Test
    void aDuplicateWithAStaleExpectedVersionIsStillReportedAsADuplicate() {
        String type = newType();
        String id = newId();
        store.append(type, id, 0, byCommand("cmd-1", 1));
        store.append(type, id, 1, byCommand("cmd-2", 1));

        assertThatThrownBy(() -> store.append(type, id, 0, byCommand("cmd-1", 1)))
                .isInstanceOf(DuplicateCommandException.class);
        assertThatThrownBy(() -> store.append(type, id, 0, byCommand("cmd-3", 1)))
                .as("a new id with a stale version is an ordinary conflict").isInstanceOf(ConcurrencyException.class);
        assertThat(stream(store, type, id)).hasSize(2);
    }

    @Test
    void idsArePerStreamAndAppendsWithoutAnIdAreNeverRefused() {
        String type = newType();
        String one = newId();
        String two = newId();
        store.append(type, one, 0, byCommand("cmd-1", 1));
        store.append(type, two, 0, byCommand("cmd-1", 1));
        store.append(type, one, 1, byCommand(null, 1));
        store.append(type, one, 2, byCommand(null, 1));

        assertThat(stream(store, type, one)).hasSize(3);
        assertThat(stream(store, type, two)).hasSize(1);
    }

    @Test
    void concurrentAppendsWithOneIdStoreItOnce() throws Exception {
        String type = newType();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 10; round++) {
                String id = newId();
                store.append(type, id, 0, byCommand(null, 1));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> outcomes = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    Callable<String> write = () -> {
                        go.await();
                        try {
                            store.append(type, id, 1, byCommand("cmd-once", 1));
                            return "stored";
                        } catch (DuplicateCommandException e) {
                            return "duplicate";
                        } catch (ConcurrencyException e) {
                            return "conflict";
                        }
                    };
                    outcomes.add(pool.submit(write));
                }
                go.countDown();
                List<String> results = new ArrayList<>();
                for (Future<String> f : outcomes) {
                    results.add(f.get(30, TimeUnit.SECONDS));
                }
                assertThat(results).as("round %d", round).containsOnlyOnce("stored");
                assertThat(stream(store, type, id)).hasSize(2);
                assertThat(store.commandVersion(type, id, "cmd-once")).isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
