package dev.eventsource.testing;

import static dev.eventsource.testing.Fixtures.event;
import static dev.eventsource.testing.Fixtures.newId;
import static dev.eventsource.testing.Fixtures.newType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.store.AppendEvents;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.StoredEventType;
import dev.eventsource.store.StoredEventTypes;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the optional {@link StoredEventTypes} role: every (stream type, event type,
 * version) combination of an appended event is listed, once, as soon as the append returns, and a
 * rejected append lists nothing.
 *
 * <pre>{@code
 * class InMemoryStoredEventTypesTest extends StoredEventTypesConformance<InMemoryStore> {
 *     @Override protected InMemoryStore createStore() { return new InMemoryStore(); }
 * }
 * }</pre>
 *
 * @param <S> the type of the store under test
 */
public abstract class StoredEventTypesConformance<S extends AppendEvents & StoredEventTypes> extends RoleConformance<S> {

    /** The listed combinations of {@code streamType} (the store may hold other checks' types). */
    private Set<StoredEventType> storedOf(String streamType) {
        return store.storedEventTypes().stream().filter(t -> t.streamType().equals(streamType)).collect(Collectors.toSet());
    }

    @Test
    void everyCombinationOfAnAppendIsListedOnceTheAppendReturns() {
        String type = newType();
        String other = newType();
        assertThat(storedOf(type)).isEmpty();

        store.append(type, newId(), 0, List.of(event("Opened", "{}"), event("Renamed", 2, "{}"), event("Renamed", 3, "{}")));
        store.append(other, newId(), 0, List.of(event("Opened", "{}")));

        assertThat(storedOf(type)).containsExactlyInAnyOrder(new StoredEventType(type, "Opened", 1),
                new StoredEventType(type, "Renamed", 2), new StoredEventType(type, "Renamed", 3));
        assertThat(storedOf(other)).containsExactly(new StoredEventType(other, "Opened", 1));
    }

    @Test
    void aCombinationAppendedAgainIsListedOnceAndNewOnesOfKnownStreamsAreAdded() {
        String type = newType();
        String id = newId();
        store.append(type, id, 0, List.of(event("Opened", "{}")));
        store.append(type, id, 1, List.of(event("Opened", "{}"), event("Opened", "{}")));
        store.append(type, newId(), 0, List.of(event("Opened", "{}")));
        store.append(type, id, 3, List.of(event("Closed", 4, "{}")));

        assertThat(storedOf(type)).containsExactlyInAnyOrder(new StoredEventType(type, "Opened", 1),
                new StoredEventType(type, "Closed", 4));
    }

    @Test
    void aRejectedAppendListsNothing() {
        String type = newType();
        String id = newId();
        store.append(type, id, 0, List.of(event("Opened", "{}")));

        assertThatThrownBy(() -> store.append(type, id, 0, List.of(event("Never", 7, "{}"))))
                .isInstanceOf(ConcurrencyException.class);

        assertThat(storedOf(type)).containsExactly(new StoredEventType(type, "Opened", 1));
    }
}
