package dev.eventsource.testdomain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eventsource.spi.CodecException;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.testdomain.Events.Added;
import dev.eventsource.testdomain.Events.Created;
import dev.eventsource.testdomain.Events.Opened;
import java.io.IOException;

/** Hand-written codecs in the shape the processor generates. */
public final class Codecs {

    private Codecs() {
    }

    public static final EventCodec<Created> CREATED = new EventCodec<>() {
        @Override public Class<Created> type() { return Created.class; }
        @Override public String name() { return "Created"; }
        @Override public int version() { return 1; }

        @Override
        public void write(JsonGenerator out, Created e) throws IOException {
            out.writeStartObject();
            out.writeStringField("id", e.id());
            out.writeEndObject();
        }

        @Override
        public Created read(JsonParser in) throws IOException {
            String id = null;
            for (String field; (field = nextField(in, "Created")) != null; ) {
                if (field.equals("id")) {
                    id = in.getValueAsString();
                } else {
                    in.skipChildren();
                }
            }
            return new Created(id);
        }
    };

    public static final EventCodec<Added> ADDED = new EventCodec<>() {
        @Override public Class<Added> type() { return Added.class; }
        @Override public String name() { return "Added"; }
        @Override public int version() { return 1; }

        @Override
        public void write(JsonGenerator out, Added e) throws IOException {
            out.writeStartObject();
            out.writeStringField("id", e.id());
            out.writeNumberField("amount", e.amount());
            out.writeEndObject();
        }

        @Override
        public Added read(JsonParser in) throws IOException {
            String id = null;
            Long amount = null;
            for (String field; (field = nextField(in, "Added")) != null; ) {
                if (field.equals("id")) {
                    id = in.getValueAsString();
                } else if (field.equals("amount")) {
                    if (!in.currentToken().isNumeric()) {
                        throw new CodecException("Added", "amount", "expected a number but found " + in.currentToken());
                    }
                    amount = in.getLongValue();
                } else {
                    in.skipChildren();
                }
            }
            if (amount == null) {
                throw new CodecException("Added", "amount", "required primitive long is missing");
            }
            return new Added(id, amount);
        }
    };

    public static final EventCodec<Opened> OPENED = new EventCodec<>() {
        @Override public Class<Opened> type() { return Opened.class; }
        @Override public String name() { return "Opened"; }
        @Override public int version() { return 1; }

        @Override
        public void write(JsonGenerator out, Opened e) throws IOException {
            out.writeStartObject();
            out.writeStringField("id", e.id());
            out.writeStringField("owner", e.owner());
            out.writeEndObject();
        }

        @Override
        public Opened read(JsonParser in) throws IOException {
            String id = null;
            String owner = null;
            for (String field; (field = nextField(in, "Opened")) != null; ) {
                if (field.equals("id")) {
                    id = in.getValueAsString();
                } else if (field.equals("owner")) {
                    owner = in.getValueAsString();
                } else {
                    in.skipChildren();
                }
            }
            return new Opened(id, owner);
        }
    };

    /**
     * Moves to the next field's value and returns its name, or {@code null} at the object's end. The
     * parser starts on (or right before) START_OBJECT.
     */
    static String nextField(JsonParser in, String type) throws IOException {
        if (in.currentToken() == null) {
            in.nextToken();
        }
        JsonToken t = in.nextToken();
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        if (t != JsonToken.FIELD_NAME) {
            throw new CodecException(type, null, "expected a field name but found " + t);
        }
        String name = in.currentName();
        in.nextToken();
        return name;
    }
}
