package dev.eventsource.tests.reliability;

import dev.eventsource.annotations.EventType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** An event with every kind of value whose size a user controls: strings, exact numbers, map keys, a list. */
@EventType(name = "reliability.Noted")
public record Noted(String text, BigDecimal amount, BigInteger count, Map<String, String> tags, List<String> lines) {

    /** A note with just a text. */
    static Noted text(String text) {
        return new Noted(text, null, null, Map.of(), List.of());
    }
}
