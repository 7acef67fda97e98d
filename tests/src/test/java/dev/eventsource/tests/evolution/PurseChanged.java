package dev.eventsource.tests.evolution;

import dev.eventsource.annotations.EventType;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** An event of the wider field types: keyed maps, a sealed field, a primitive array, more java.time. */
@EventType(name = "evolution.PurseChanged")
public record PurseChanged(Map<UUID, Integer> deltas, Tender tender, List<Tender> history, LocalTime at,
        ZonedDateTime when, int[] codes, Currency currency, Map<LocalDate, Long> daily, Optional<Period> term) {
}
