package dev.eventsource.tests.reliability;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.EventEnvelope;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;
import java.util.Map;

/** Keeps the last note and the metadata it was stored with, so a load shows what the store gave back. */
@Aggregate(name = "notebook")
public class Notebook extends AggregateRoot {

    String id;
    Noted last;
    Map<String, String> lastMetadata = Map.of();

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(Noted e, EventEnvelope<Noted> envelope) {
        id = envelope.streamId();
        last = e;
        lastMetadata = envelope.metadata();
    }

    /** Records one note. */
    record Write(Noted note) implements Command<Notebook> {
        @Override
        public void perform(Notebook notebook) {
            notebook.record(note);
        }
    }
}
