package dev.eventsource.testdomain;

import dev.eventsource.EventEnvelope;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.ProjectionDescriptor;
import dev.eventsource.testdomain.Events.Added;
import java.util.List;

/** Hand-written descriptor of {@link Totals}. */
public final class Totals_Projection implements ProjectionDescriptor<Totals> {

    @Override
    public Class<Totals> type() {
        return Totals.class;
    }

    @Override
    public String name() {
        return "Totals";
    }

    @Override
    public List<EventCodec<?>> eventCodecs() {
        return List.of(Codecs.ADDED);
    }

    @Override
    public void handle(Totals projection, EventEnvelope<?> envelope) {
        if (envelope.data() instanceof Added e) {
            projection.on(e, envelope.version());
        }
    }
}
