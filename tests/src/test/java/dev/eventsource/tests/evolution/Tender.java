package dev.eventsource.tests.evolution;

import dev.eventsource.annotations.EventType;
import java.time.OffsetTime;
import java.util.Currency;
import java.util.Map;

/** How a purse was paid into: a sealed field type, stored as {@code {"Coins": {...}}}. */
public sealed interface Tender permits Tender.Coins, Tender.Note, Tender.Iou {

    /** Coins by face value. */
    record Coins(Map<Integer, Integer> byFaceValue) implements Tender {
    }

    /** A bank note. */
    record Note(String serial, Currency currency) implements Tender {
    }

    /** A promise, stored under the discriminator {@code iou}. */
    @EventType(name = "evolution.iou")
    record Iou(String to, OffsetTime due) implements Tender {
    }
}
