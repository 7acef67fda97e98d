package dev.eventsource.testing;

import static dev.eventsource.testing.Fixtures.newProjection;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.DeadLetterStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the {@link DeadLetterStore} role: dead letters per projection, in position order,
 * one per position (a second replaces the first), with every field kept; one is deleted by
 * projection and position, and the delete says whether there was one.
 *
 * <pre>{@code
 * class InMemoryDeadLettersTest extends DeadLetterStoreConformance<InMemoryStore> {
 *     @Override protected InMemoryStore createStore() { return new InMemoryStore(); }
 * }
 * }</pre>
 *
 * @param <S> the type of the store under test
 */
public abstract class DeadLetterStoreConformance<S extends DeadLetterStore> extends RoleConformance<S> {

    private static DeadLetter deadLetter(String projection, long position, String error) {
        return new DeadLetter(projection, 1, position, "Order", "order-" + position, 2, "OrderCreated", 3, error,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void deadLettersAreKeptInPositionOrderAndReplacedPerPosition() {
        String projection = "p-" + UUID.randomUUID();
        assertThat(store.loadDeadLetters(projection)).isEmpty();
        store.saveDeadLetter(deadLetter(projection, 30, "boom 30"));
        store.saveDeadLetter(deadLetter(projection, 10, "boom 10"));
        store.saveDeadLetter(deadLetter(projection, 10, "boom 10 again"));
        store.saveDeadLetter(deadLetter(projection + "-other", 5, "elsewhere"));

        List<DeadLetter> letters = store.loadDeadLetters(projection);

        assertThat(letters).extracting(DeadLetter::globalPosition).containsExactly(10L, 30L);
        DeadLetter first = letters.get(0);
        assertThat(first.error()).isEqualTo("boom 10 again");
        assertThat(first.partition()).isEqualTo(1);
        assertThat(first.streamType()).isEqualTo("Order");
        assertThat(first.streamId()).isEqualTo("order-10");
        assertThat(first.version()).isEqualTo(2);
        assertThat(first.eventType()).isEqualTo("OrderCreated");
        assertThat(first.attempts()).isEqualTo(3);
    }

    @Test
    void deleteRemovesOnlyThatDeadLetterAndSaysWhetherThereWasOne() {
        String projection = newProjection();
        store.saveDeadLetter(deadLetter(projection, 10, "boom 10"));
        store.saveDeadLetter(deadLetter(projection, 20, "boom 20"));
        store.saveDeadLetter(deadLetter(projection + "-other", 10, "elsewhere"));

        assertThat(store.deleteDeadLetter(projection, 10)).isTrue();

        assertThat(store.loadDeadLetters(projection)).extracting(DeadLetter::globalPosition).containsExactly(20L);
        assertThat(store.loadDeadLetters(projection + "-other")).extracting(DeadLetter::globalPosition).containsExactly(10L);
        assertThat(store.deleteDeadLetter(projection, 10)).as("deleted already").isFalse();
        assertThat(store.deleteDeadLetter(projection, 15)).as("never saved").isFalse();
        assertThat(store.deleteDeadLetter(newProjection(), 20)).as("unknown projection").isFalse();
    }

    @Test
    void aDeletedDeadLetterCanBeSavedAgain() {
        String projection = newProjection();
        store.saveDeadLetter(deadLetter(projection, 10, "boom"));
        store.deleteDeadLetter(projection, 10);

        store.saveDeadLetter(deadLetter(projection, 10, "boom again"));

        assertThat(store.loadDeadLetters(projection)).extracting(DeadLetter::error).containsExactly("boom again");
    }
}
