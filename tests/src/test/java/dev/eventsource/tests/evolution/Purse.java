package dev.eventsource.tests.evolution;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.EventEnvelope;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A purse snapshotted after every event, so its state of the wider field types goes through the snapshot codec. */
@Aggregate(name = "purse", snapshotEvery = 1)
public class Purse extends AggregateRoot {

    String id;
    final Map<UUID, Integer> balances = new LinkedHashMap<>();
    Tender lastTender;
    final List<Tender> tenders = new ArrayList<>();
    int[] lastCodes;
    ZonedDateTime lastWhen;
    Map<LocalDate, Long> daily = new LinkedHashMap<>();

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(PurseChanged e, EventEnvelope<PurseChanged> envelope) {
        id = envelope.streamId();
        if (e.deltas() != null) {
            e.deltas().forEach((k, v) -> balances.merge(k, v == null ? 0 : v, Integer::sum));
        }
        lastTender = e.tender();
        tenders.add(e.tender());
        lastCodes = e.codes();
        lastWhen = e.when();
        if (e.daily() != null) {
            daily.putAll(e.daily());
        }
    }

    /** Records one change. */
    public record Change(PurseChanged change) implements Command<Purse> {
        @Override
        public void perform(Purse purse) {
            purse.record(change);
        }
    }
}
