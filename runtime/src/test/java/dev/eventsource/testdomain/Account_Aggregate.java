package dev.eventsource.testdomain;

import dev.eventsource.EventEnvelope;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.SnapshotCodec;
import dev.eventsource.spi.UnknownEventException;
import dev.eventsource.testdomain.Events.Opened;
import java.util.List;

/** Hand-written descriptor of {@link Account}: needs envelopes, no snapshots, custom stream type. */
public final class Account_Aggregate implements AggregateDescriptor<Account> {

    @Override
    public Class<Account> type() {
        return Account.class;
    }

    @Override
    public String streamType() {
        return "account";
    }

    @Override
    public int snapshotEvery() {
        return -1;
    }

    @Override
    public Account newInstance() {
        return new Account();
    }

    @Override
    public List<EventCodec<?>> eventCodecs() {
        return List.of(Codecs.OPENED);
    }

    @Override
    public EventCodec<?> codec(String eventType) {
        return eventType.equals("Opened") ? Codecs.OPENED : null;
    }

    @Override
    public EventCodec<?> codecOf(Object event) {
        return event instanceof Opened ? Codecs.OPENED : null;
    }

    @Override
    public boolean needsEnvelope() {
        return true;
    }

    @Override
    public void apply(Account aggregate, Object event, EventEnvelope<?> envelope) {
        if (event instanceof Opened e) {
            aggregate.on(e, envelope);
        } else {
            throw new UnknownEventException("account", event.getClass().getName());
        }
    }

    @Override
    public SnapshotCodec<Account> snapshotCodec() {
        return null;
    }
}
