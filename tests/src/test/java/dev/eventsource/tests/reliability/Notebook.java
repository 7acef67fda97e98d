package dev.eventsource.tests.reliability;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.EventEnvelope;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;
import dev.eventsource.internal.CommandMetadata;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the last note and the headers it was stored with (its metadata without the keys the engine
 * writes itself), so a load shows what the store gave back.
 */
@Aggregate(name = "notebook")
public class Notebook extends AggregateRoot {

    String id;
    Noted last;
    Map<String, String> lastMetadata = Map.of();
    String lastCommandId;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(Noted e, EventEnvelope<Noted> envelope) {
        id = envelope.streamId();
        last = e;
        lastMetadata = headers(envelope.metadata());
        lastCommandId = envelope.commandId().orElse(null);
    }

    /** {@code metadata} without the reserved keys the engine writes from the command's context. */
    static Map<String, String> headers(Map<String, String> metadata) {
        Map<String, String> headers = new HashMap<>(metadata);
        headers.keySet().removeIf(CommandMetadata::reserved);
        return headers;
    }

    /** Records one note. */
    record Write(Noted note) implements Command<Notebook> {
        @Override
        public void perform(Notebook notebook) {
            notebook.record(note);
        }
    }
}
