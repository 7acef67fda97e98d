package dev.eventsource.tests.snapshots.v2;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;
import dev.eventsource.tests.snapshots.Counted;

/** Release 2 of the tally: the same stream type and state fields as release 1, other {@code @Apply} logic (counts each amount twice). */
@Aggregate(name = "tally", snapshotEvery = 3)
public class Tally extends AggregateRoot {

    String id;
    public long total;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(Counted e) {
        id = e.tallyId();
        total += 2 * e.amount();
    }

    /** Counts {@code amount}. */
    public record Count(String tallyId, long amount) implements Command<Tally> {
        @Override
        public void perform(Tally tally) {
            tally.record(new Counted(tallyId, amount));
        }
    }
}
