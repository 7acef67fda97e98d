package dev.eventsource.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.Engine;
import dev.eventsource.Limits;
import dev.eventsource.store.EventStore;
import dev.eventsource.tests.reliability.Notebook.Write;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the write path accepts is read back equal, and what it refuses is refused before anything is
 * stored, with a message naming the field, its size and the limit. Run on every store by a thin
 * subclass. "Read back" means by a new engine, so nothing comes from the command's cached instance.
 */
abstract class LimitsContract {

    /** The store under test; the same instance for the whole class. */
    abstract EventStore store();

    private Engine engine(Limits limits) {
        Engine engine = Engine.builder().store(store()).limits(limits).aggregateCacheSize(0).build();
        engine.registerAggregate(Notebook.class);
        return engine;
    }

    private static String fresh() {
        return "n-" + UUID.randomUUID();
    }

    /** Writes the note with one engine and loads it with a new one. */
    private Notebook roundTrip(Limits limits, String id, Noted note, Map<String, String> metadata) {
        try (Engine writer = engine(limits)) {
            writer.execute(Notebook.class, id, new Write(note), metadata);
        }
        try (Engine reader = engine(Limits.defaults())) {   // reading never depends on the writer's limits
            return reader.load(Notebook.class, id).orElseThrow();
        }
    }

    /** Asserts the note is refused with a message containing every one of {@code parts}, and nothing is stored. */
    private void assertRefused(Limits limits, String id, Noted note, Map<String, String> metadata, String... parts) {
        long head = store().headPosition();
        try (Engine engine = engine(limits)) {
            assertThatThrownBy(() -> engine.execute(Notebook.class, id, new Write(note), metadata))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll(parts)
                    .satisfies(e -> assertThat(e.getMessage()).as("the message stays short").hasSizeLessThan(600));
            assertThat(engine.load(Notebook.class, id)).as("nothing of %s stored", id).isEmpty();
        }
        assertThat(store().headPosition()).as("nothing appended").isEqualTo(head);
    }

    private static String digits(int n) {
        StringBuilder s = new StringBuilder(n);
        s.append('9');
        for (int i = 1; i < n; i++) {
            s.append((char) ('0' + i % 10));
        }
        return s.toString();
    }

    @Test
    void aNumberOfTheLongestAllowedLengthReadsBackAndOneDigitMoreIsRefused() {
        BigDecimal longest = new BigDecimal(digits(1_000));
        Noted ok = new Noted("t", longest, new BigInteger(digits(1_000)), Map.of(), List.of());
        assertThat(roundTrip(Limits.defaults(), fresh(), ok, Map.of()).last).isEqualTo(ok);

        assertRefused(Limits.defaults(), fresh(), new Noted("t", new BigDecimal(digits(1_001)), null, Map.of(), List.of()),
                Map.of(), "reliability.Noted.amount", "a number of 1,001 chars", "limit of 1,000", "Limits.maxNumberLength");
        assertRefused(Limits.defaults(), fresh(), new Noted("t", null, new BigInteger(digits(1_001)), Map.of(), List.of()),
                Map.of(), "reliability.Noted.count", "a number of 1,001 chars");
        assertRefused(Limits.defaults(), fresh(), new Noted("t", new BigDecimal("-0." + digits(999)), null, Map.of(),
                List.of()), Map.of(), "reliability.Noted.amount", "a number of 1,002 chars");
    }

    @Test
    void numbersLongerThanJacksonsDefaultReadBackWhenTheLimitAllowsThem() {
        Noted big = new Noted("t", new BigDecimal(digits(5_000) + "." + digits(100)), new BigInteger("-" + digits(5_000)),
                Map.of(), List.of());
        assertThat(roundTrip(Limits.defaults().maxNumberLength(Limits.MAX_NUMBER_LENGTH), fresh(), big, Map.of()).last)
                .isEqualTo(big);
    }

    @Test
    void aStringOverJacksonsDefaultOf20MillionCharsReadsBackWhenTheLimitAllowsIt() {
        String huge = "x".repeat(20_000_001);
        Limits roomy = Limits.defaults().maxStringLength(25_000_000).maxEventBytes(32 << 20);
        assertThat(roundTrip(roomy, fresh(), Noted.text(huge), Map.of()).last.text()).isEqualTo(huge);
    }

    @Test
    void aStringOverTheLimitIsRefusedNamingItsField() {
        assertRefused(Limits.defaults(), fresh(), Noted.text("x".repeat(10_000_001)), Map.of(),
                "reliability.Noted.text", "a string of 10,000,001 chars", "limit of 10,000,000", "Limits.maxStringLength");
        Limits small = Limits.defaults().maxStringLength(10);
        assertRefused(small, fresh(), new Noted("t", null, null, Map.of("k", "v".repeat(11)), List.of()), Map.of(),
                "reliability.Noted.tags.k", "a string of 11 chars");
        assertRefused(small, fresh(), new Noted("t", null, null, Map.of("k".repeat(11), "v"), List.of()), Map.of(),
                "reliability.Noted.tags", "a map key of 11 chars");
        assertRefused(small, fresh(), new Noted("t", null, null, Map.of(), List.of("a", "b", "c".repeat(11))), Map.of(),
                "reliability.Noted.lines[2]", "a string of 11 chars");
        assertThat(roundTrip(small, fresh(), new Noted("t".repeat(10), null, null, Map.of("k".repeat(10), "v".repeat(10)),
                List.of("c".repeat(10))), Map.of()).last.text()).hasSize(10);
    }

    @Test
    void anEventOverTheSizeLimitIsRefused() {
        assertRefused(Limits.defaults().maxEventBytes(100), fresh(), Noted.text("x".repeat(200)), Map.of(),
                "reliability.Noted", "over the limit of 100 bytes", "Limits.maxEventBytes");
        assertThat(roundTrip(Limits.defaults().maxEventBytes(100), fresh(), Noted.text("x".repeat(20)), Map.of()).last.text())
                .hasSize(20);
    }

    @Test
    void nestingOverTheLimitIsRefused() {
        assertRefused(Limits.defaults().maxNestingDepth(1), fresh(), Noted.text("t"), Map.of(),
                "reliability.Noted.tags", "nesting depth 2", "limit of 1", "Limits.maxNestingDepth");
        assertThat(roundTrip(Limits.defaults().maxNestingDepth(2), fresh(), Noted.text("t"), Map.of()).last.text())
                .isEqualTo("t");
    }

    @Test
    void textThatIsNotValidUnicodeIsRefusedNamingTheField() {
        assertRefused(Limits.defaults(), fresh(), Noted.text("caf\uD800e"), Map.of(),
                "reliability.Noted.text", "not valid Unicode", "unpaired surrogate U+D800 at index 3");
        assertRefused(Limits.defaults(), fresh(), new Noted("t", null, null, Map.of("k\uDC00", "v"), List.of()), Map.of(),
                "reliability.Noted.tags", "map key", "unpaired surrogate U+DC00");
        assertRefused(Limits.defaults(), fresh(), Noted.text("t"), Map.of("user", "ann\uDBFF"),
                "value of metadata key 'user'", "unpaired surrogate U+DBFF at index 3");
        // Pairs and U+0000 inside payloads and metadata are valid and read back exactly.
        Noted emoji = Noted.text("\uD83D\uDE00 nul:\u0000 end");
        Notebook back = roundTrip(Limits.defaults(), fresh(), emoji, Map.of("nul\u0000key", "\uD83D\uDE00\u0000"));
        assertThat(back.last).isEqualTo(emoji);
        assertThat(back.lastMetadata).containsExactly(Map.entry("nul\u0000key", "\uD83D\uDE00\u0000"));
    }

    @Test
    void idsThatAreNotValidUnicodeOrTooLongAreRefusedAndNeverCollapseIntoOneStream() {
        String prefix = "alias-" + UUID.randomUUID();
        try (Engine engine = engine(Limits.defaults())) {
            engine.execute(Notebook.class, prefix + "?", new Write(Noted.text("the real one")));
            for (String bad : List.of(prefix + "\uD800", prefix + "\uDBFF", prefix + "\uDC00x")) {
                assertThatThrownBy(() -> engine.execute(Notebook.class, bad, new Write(Noted.text("impostor"))))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContainingAll("aggregate id of notebook is not valid Unicode", "unpaired surrogate");
                assertThatThrownBy(() -> engine.load(Notebook.class, bad))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not valid Unicode");
            }
            assertThatThrownBy(() -> engine.execute(Notebook.class, "nul\u0000id", new Write(Noted.text("t"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("U+0000 (NUL) at index 3");
            assertThat(engine.load(Notebook.class, prefix + "?").orElseThrow().last.text()).isEqualTo("the real one");

            String huge = "i".repeat(1_000_000);
            assertThatThrownBy(() -> engine.execute(Notebook.class, huge, new Write(Noted.text("t"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll("1,000,000 chars", "limit of 256", "Limits.maxIdLength")
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
            String longest = "i".repeat(256);
            engine.execute(Notebook.class, longest, new Write(Noted.text("t")));
            assertThat(engine.load(Notebook.class, longest)).isPresent();
        }
    }

    @Test
    void metadataIsCheckedBeforeTheCommandRuns() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("user", null);
        assertRefused(Limits.defaults(), fresh(), Noted.text("t"), nullValue, "metadata key 'user'", "null value");
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "x");
        assertRefused(Limits.defaults(), fresh(), Noted.text("t"), nullKey, "a null key");
        assertRefused(Limits.defaults(), fresh(), Noted.text("t"), Map.of("k".repeat(60_000), "v"),
                "metadata key of the command", "60,000 chars", "limit of 256", "Limits.maxMetadataKeyLength");
        assertRefused(Limits.defaults(), fresh(), Noted.text("t"), Map.of("k", "v".repeat(16_385)),
                "value of metadata key 'k'", "16,385 chars", "Limits.maxMetadataValueLength");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            many.put("k" + i, "v");
        }
        assertRefused(Limits.defaults(), fresh(), Noted.text("t"), many, "65 entries", "Limits.maxMetadataEntries");

        Map<String, String> roomy = Map.of("k".repeat(10_000), "v".repeat(100_000));
        Limits large = Limits.defaults().maxMetadataKeyLength(10_000).maxMetadataValueLength(100_000);
        assertThat(roundTrip(large, fresh(), Noted.text("t"), roomy).lastMetadata).isEqualTo(roomy);
    }
}
