package dev.eventsource.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.eventsource.spi.EventCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRegistryTest {

    record Placed() {
    }

    record Opened() {
    }

    /** A hand-written codec that only names its type; nothing here encodes. */
    private record Named<E>(Class<E> type, String name, List<String> aliases) implements EventCodec<E> {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(JsonGenerator out, E event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public E read(JsonParser in) {
            throw new UnsupportedOperationException();
        }
    }

    private static final EventCodec<Placed> PLACED = new Named<>(Placed.class, "OrderPlaced", List.of("OrderCreated"));

    @Test
    void finds_a_codec_by_its_stable_name_and_by_each_alias() {
        EventRegistry registry = EventRegistry.EMPTY.with("aggregate Order", List.of(PLACED));
        assertThat(registry.codec("OrderPlaced")).isSameAs(PLACED);
        assertThat(registry.codec("OrderCreated")).isSameAs(PLACED);
        assertThat(registry.codec("Other")).isNull();
    }

    @Test
    void the_same_codec_registered_twice_is_fine() {
        EventRegistry registry = EventRegistry.EMPTY.with("aggregate Order", List.of(PLACED))
                .with("projection Summary", List.of(PLACED));
        assertThat(registry.codec("OrderCreated")).isSameAs(PLACED);
    }

    @Test
    void a_stable_name_that_is_another_classs_alias_names_both_classes_and_owners() {
        EventRegistry registry = EventRegistry.EMPTY.with("aggregate Order", List.of(PLACED));
        EventCodec<Opened> opened = new Named<>(Opened.class, "OrderCreated", List.of());
        assertThatThrownBy(() -> registry.with("aggregate Shop", List.of(opened)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stored event type name 'OrderCreated' is used by two classes: " + Placed.class.getName()
                        + " (aggregate Order) and " + Opened.class.getName() + " (aggregate Shop); give one of them"
                        + " another @EventType(name = ...), or remove the alias");
    }

    @Test
    void a_codec_without_aliases_decodes_its_name_only() {
        assertThat(EventRegistry.storedNames(new Named<>(Opened.class, "Opened", List.of()))).containsExactly("Opened");
        assertThat(EventRegistry.storedNames(PLACED)).containsExactly("OrderPlaced", "OrderCreated");
    }
}
