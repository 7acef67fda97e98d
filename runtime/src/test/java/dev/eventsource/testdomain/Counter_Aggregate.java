package dev.eventsource.testdomain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.eventsource.EventEnvelope;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.SnapshotCodec;
import dev.eventsource.spi.UnknownEventException;
import dev.eventsource.testdomain.Events.Added;
import dev.eventsource.testdomain.Events.Created;
import java.io.IOException;
import java.util.List;

/** Hand-written descriptor of {@link Counter}, in the shape the processor generates. */
public final class Counter_Aggregate implements AggregateDescriptor<Counter> {

    /** The fingerprint of Counter's state {id: String, value: long}. */
    public static final long FINGERPRINT = 0x5EED_C0DE_0001L;

    private static final SnapshotCodec<Counter> SNAPSHOT = new SnapshotCodec<>() {
        @Override
        public long fingerprint() {
            return FINGERPRINT;
        }

        @Override
        public void write(JsonGenerator out, Counter c) throws IOException {
            out.writeStartObject();
            out.writeStringField("id", c.id);
            out.writeNumberField("value", c.value);
            out.writeEndObject();
        }

        @Override
        public void read(JsonParser in, Counter c) throws IOException {
            for (String field; (field = Codecs.nextField(in, "Counter")) != null; ) {
                if (field.equals("id")) {
                    c.id = in.getValueAsString();
                } else if (field.equals("value")) {
                    c.value = in.getLongValue();
                } else {
                    in.skipChildren();
                }
            }
        }
    };

    @Override
    public Class<Counter> type() {
        return Counter.class;
    }

    @Override
    public String streamType() {
        return "Counter";
    }

    @Override
    public int snapshotEvery() {
        return 0;
    }

    @Override
    public Counter newInstance() {
        return new Counter();
    }

    @Override
    public List<EventCodec<?>> eventCodecs() {
        return List.of(Codecs.ADDED, Codecs.CREATED);
    }

    @Override
    public EventCodec<?> codec(String eventType) {
        switch (eventType) {
            case "Added":
                return Codecs.ADDED;
            case "Created":
                return Codecs.CREATED;
            default:
                return null;
        }
    }

    @Override
    public EventCodec<?> codecOf(Object event) {
        if (event instanceof Added) {
            return Codecs.ADDED;
        }
        if (event instanceof Created) {
            return Codecs.CREATED;
        }
        return null;
    }

    @Override
    public boolean needsEnvelope() {
        return false;
    }

    @Override
    public void apply(Counter aggregate, Object event, EventEnvelope<?> envelope) {
        if (event instanceof Added e) {
            aggregate.on(e);
        } else if (event instanceof Created e) {
            aggregate.on(e);
        } else {
            throw new UnknownEventException("Counter", event.getClass().getName());
        }
    }

    @Override
    public SnapshotCodec<Counter> snapshotCodec() {
        return SNAPSHOT;
    }
}
