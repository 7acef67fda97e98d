package dev.eventsource.tests.reactions;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;

/**
 * The receipts of one ticket. {@link Issue} records a receipt every time it runs, so only the
 * command id keeps a redelivered sale from issuing a second one.
 */
@Aggregate(name = "receipts")
public class Receipts extends AggregateRoot {

    String id;
    int issued;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(ReceiptIssued e) {
        id = "receipts-" + e.ticketId();
        issued++;
    }

    /** Issues a receipt for the ticket. */
    public record Issue(String ticketId) implements Command<Receipts> {
        @Override
        public void perform(Receipts receipts) {
            receipts.record(new ReceiptIssued(ticketId));
        }
    }
}
