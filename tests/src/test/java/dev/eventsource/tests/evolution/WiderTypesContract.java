package dev.eventsource.tests.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.eventsource.Engine;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events and snapshots with the wider field types (maps keyed by UUID, Integer and LocalDate, a
 * sealed-interface field, a primitive array, ZonedDateTime, Period, Currency) go through a real store
 * and come back equal; a stored document whose properties come in another order (as another writer
 * or a {@code jsonb} column gives them) reads the same. Each store runs it with a thin subclass.
 */
abstract class WiderTypesContract {

    private static final JsonFactory JSON = new JsonFactory();
    private static final UUID A = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    private static final UUID B = new UUID(-1, 1);

    /** A store that starts empty for each test. */
    abstract EventStore store();

    private static Engine engine(EventStore store) {
        Engine engine = Engine.builder().store(store).aggregateCacheSize(0).build();
        engine.registerAggregate(Purse.class);
        return engine;
    }

    /** Full, null and empty values, with the extremes of each type. */
    static List<PurseChanged> changes() {
        Map<UUID, Integer> deltas = new LinkedHashMap<>();
        deltas.put(A, 5);
        deltas.put(B, null);
        Map<Integer, Integer> coins = new LinkedHashMap<>();
        coins.put(200, 1);
        coins.put(-1, Integer.MIN_VALUE);
        return List.of(
                new PurseChanged(deltas, new Tender.Coins(coins),
                        Arrays.asList(new Tender.Note("X1", Currency.getInstance("EUR")), null,
                                new Tender.Iou("ann", OffsetTime.of(LocalTime.MAX, ZoneOffset.MIN))),
                        LocalTime.of(0, 0, 0, 1), ZonedDateTime.of(2024, 2, 29, 12, 0, 0, 0, ZoneId.of("America/New_York")),
                        new int[] {1, Integer.MIN_VALUE, Integer.MAX_VALUE}, Currency.getInstance("JPY"),
                        Map.of(LocalDate.of(2024, 2, 29), Long.MAX_VALUE), Optional.of(Period.of(-1, -2, -3))),
                new PurseChanged(null, null, null, null, null, null, null, null, Optional.empty()),
                new PurseChanged(Map.of(A, -7), new Tender.Iou(null, null), List.of(), LocalTime.MIDNIGHT,
                        ZonedDateTime.of(2026, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC), new int[0], Currency.getInstance("XXX"),
                        Map.of(), Optional.of(Period.ZERO)));
    }

    @Test
    void events_and_snapshots_of_the_wider_types_come_back_equal() {
        EventStore store = store();
        Purse expected;
        try (Engine engine = engine(store)) {
            for (PurseChanged change : changes()) {
                engine.execute(Purse.class, "p1", new Purse.Change(change));
            }
            expected = engine.load(Purse.class, "p1").orElseThrow();
        }
        // Closing the engine waited for the snapshot written after the last event.
        List<PurseChanged> read = new ArrayList<>();
        store.readStream("purse", "p1", 0, (StoredEvent e) -> read.add(parse(e.payload(),
                p -> PurseChanged_Codec.INSTANCE.read(p))));
        assertThat(read).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(changes());

        Snapshot snapshot = store.loadSnapshot("purse", "p1").orElseThrow();
        assertThat(snapshot.version()).isEqualTo(changes().size());
        Purse_Aggregate descriptor = new Purse_Aggregate();
        Purse restored = parse(snapshot.state(), p -> {
            Purse into = descriptor.newInstance();
            descriptor.snapshotCodec().read(p, into);
            return into;
        });
        assertSameState(restored, expected);
        assertThat(expected.balances).containsExactly(Map.entry(A, -2), Map.entry(B, 0));
        assertThat(expected.lastTender).isEqualTo(new Tender.Iou(null, null));

        try (Engine engine = engine(store)) {
            assertSameState(engine.load(Purse.class, "p1").orElseThrow(), expected);
        }
    }

    @Test
    void a_stored_document_with_its_properties_in_another_order_reads_the_same() {
        EventStore store = store();
        store.append("purse", "p2", 0, List.of(stored("{\"term\":\"P1M\",\"daily\":{\"2024-02-29\":3},"
                + "\"tender\":{\"evolution.iou\":{\"due\":\"10:00:00+01:00\",\"to\":\"bob\"}},"
                + "\"history\":[{\"Coins\":{\"byFaceValue\":{\"5\":2}}}],\"deltas\":{\"" + A + "\":4},"
                + "\"codes\":[3],\"when\":\"2026-01-01T10:00:00+01:00[Europe/Paris]\"}")));
        try (Engine engine = engine(store)) {
            Purse p = engine.load(Purse.class, "p2").orElseThrow();
            assertThat(p.lastTender).isEqualTo(new Tender.Iou("bob", OffsetTime.of(10, 0, 0, 0, ZoneOffset.ofHours(1))));
            assertThat(p.tenders).containsExactly(p.lastTender);
            assertThat(p.balances).containsExactly(Map.entry(A, 4));
            assertThat(p.daily).containsExactly(Map.entry(LocalDate.of(2024, 2, 29), 3L));
            assertThat(p.lastCodes).containsExactly(3);
            assertThat(p.lastWhen.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        }
    }

    @Test
    void a_stored_value_of_an_unknown_subtype_is_an_error_naming_the_field_and_the_known_ones() {
        EventStore store = store();
        store.append("purse", "p3", 0, List.of(stored("{\"tender\":{\"Cheque\":{\"number\":1}}}")));
        try (Engine engine = engine(store)) {
            assertThatThrownBy(() -> engine.load(Purse.class, "p3"))
                    .hasStackTraceContaining("evolution.PurseChanged.tender: unknown Tender subtype 'Cheque'; known:"
                            + " Coins, Note, evolution.iou");
        }
    }

    private static NewEvent stored(String json) {
        return new NewEvent(UUID.randomUUID(), "evolution.PurseChanged", 1, Instant.parse("2026-01-02T03:04:05Z"),
                json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static void assertSameState(Purse actual, Purse expected) {
        assertThat(actual.id()).isEqualTo(expected.id());
        assertThat(actual.balances).containsExactlyEntriesOf(expected.balances);
        assertThat(actual.lastTender).isEqualTo(expected.lastTender);
        assertThat(actual.tenders).containsExactlyElementsOf(expected.tenders);
        assertThat(actual.lastCodes).isEqualTo(expected.lastCodes);
        assertThat(actual.lastWhen).isEqualTo(expected.lastWhen);
        assertThat(actual.daily).containsExactlyEntriesOf(expected.daily);
    }

    /** What a codec reads from a parser. */
    private interface Read<T> {
        T from(JsonParser parser) throws IOException;
    }

    private static <T> T parse(byte[] json, Read<T> read) {
        try (JsonParser p = JSON.createParser(json)) {
            return read.from(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
