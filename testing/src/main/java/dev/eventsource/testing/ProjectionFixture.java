package dev.eventsource.testing;

import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import dev.eventsource.TransactionalProjection;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.ProjectionDescriptor;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A given/then test of one projection: each given event, in a made-up envelope (stream
 * {@code fixture/fixture-1}, versions and positions from 1, the fixture's time, no metadata), is
 * handled the way the engine would: an {@code @Projection} through its generated dispatcher, after a
 * round trip through its generated codec (so a serialization mistake fails the test); a plain
 * {@link Projection} through {@code handle}; a {@link TransactionalProjection} of JDBC connections
 * against the {@code DataSource} given to {@link #inTransactions}, each event in a transaction of its
 * own that commits when the handler returns and rolls back when it throws, as the engine runs a
 * batch. No threads, no store. Failures are {@link AssertionError}s, so any test framework works.
 *
 * <pre>{@code
 * List<Object> seen = new ArrayList<>();
 * dev.eventsource.Projection every = new dev.eventsource.Projection() {
 *     @Override public void handle(EventEnvelope<?> event) { seen.add(event.data()); }
 *     @Override public String name() { return "every"; }
 * };
 * ProjectionFixture.of(every)
 *         .given(new OrderCreated("order_1", "c_1", 10.0), new OrderStatusChanged("order_1", "paid"))
 *         .expectState(p -> { if (seen.size() != 2) throw new AssertionError(seen); });
 * }</pre>
 *
 * @param <P> the projection type
 */
public final class ProjectionFixture<P> {

    private final P projection;
    private final ProjectionDescriptor<P> descriptor;
    private Instant time = AggregateFixture.DEFAULT_TIME;
    private DataSource dataSource;
    private long handled;

    private ProjectionFixture(P projection, ProjectionDescriptor<P> descriptor) {
        this.projection = projection;
        this.descriptor = descriptor;
    }

    /**
     * A fixture for {@code projection}: an instance of an {@code @Projection} class (or of a subclass
     * of one) or a {@link Projection}.
     *
     * @throws IllegalArgumentException if it is neither
     */
    public static <P> ProjectionFixture<P> of(P projection) {
        Objects.requireNonNull(projection, "projection");
        ProjectionDescriptor<P> descriptor = GeneratedCode.projection(projection);
        if (descriptor == null && !(projection instanceof Projection) && !(projection instanceof TransactionalProjection)) {
            throw new IllegalArgumentException(projection.getClass().getName() + " is neither an @Projection class"
                    + " with a generated descriptor nor a dev.eventsource.Projection or TransactionalProjection");
        }
        return new ProjectionFixture<>(projection, descriptor);
    }

    /** The timestamp of the envelopes made up for the next given events. */
    public ProjectionFixture<P> at(Instant time) {
        this.time = Objects.requireNonNull(time, "time");
        return this;
    }

    /**
     * Where a {@link TransactionalProjection} of {@code java.sql.Connection}s gets its transactions:
     * one connection and one transaction per given event.
     */
    public ProjectionFixture<P> inTransactions(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        return this;
    }

    /**
     * Handles {@code events}, in order, each in its own made-up envelope. An instance of a legacy
     * class (an older {@code @EventType(version)} of an event the projection handles) is written
     * at its version and read through the {@code @Upcast} chain, as an event an older release stored.
     */
    public ProjectionFixture<P> given(Object... events) {
        for (Object event : events) {
            Objects.requireNonNull(event, "a given event is null");
            handled++;
            EventCodec<?> written = descriptor == null ? null : GeneratedCode.codecOf(descriptor.eventCodecs(), event);
            String eventType = written == null ? event.getClass().getSimpleName() : written.name();
            Object data = written == null ? event : roundTrip(written, event);
            deliver(new EventEnvelope<>(data, eventType, "fixture", "fixture-1", handled, handled,
                    new UUID(handled, handled), time, Map.of()));
        }
        return this;
    }

    /** Hands {@code envelope} (its data decoded) to the projection as the engine would. */
    void deliver(EventEnvelope<Object> envelope) {
        if (descriptor != null) {
            descriptor.handle(projection, envelope);
        } else if (projection instanceof TransactionalProjection<?> transactional) {
            inTransaction(transactional, envelope);
        } else {
            ((Projection) projection).handle(envelope);
        }
    }

    /** The projection, after the given events, passes {@code check}. */
    public ProjectionFixture<P> expectState(Consumer<P> check) {
        check.accept(projection);
        return this;
    }

    /** Handles one envelope in a JDBC transaction of its own: committed if the handler returns, else rolled back. */
    private void inTransaction(TransactionalProjection<?> transactional, EventEnvelope<Object> envelope) {
        if (transactional.transactionType() != Connection.class) {
            throw new IllegalStateException("the fixture runs transactional projections of java.sql.Connection; "
                    + transactional.name() + " takes " + transactional.transactionType().getName());
        }
        if (dataSource == null) {
            throw new IllegalStateException("transactional projection " + transactional.name() + " needs a DataSource:"
                    + " call inTransactions(dataSource) before given(...)");
        }
        @SuppressWarnings("unchecked")
        TransactionalProjection<Connection> jdbc = (TransactionalProjection<Connection>) transactional;
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            try {
                jdbc.handle(envelope, tx);
                tx.commit();
            } catch (Exception e) {
                tx.rollback();
                AssertionError error = new AssertionError("projection " + jdbc.name() + " failed on given event "
                        + envelope.version() + " (" + envelope.data() + "); its transaction was rolled back: " + e);
                error.initCause(e);
                throw error;
            }
        } catch (SQLException e) {
            throw new AssertionError("no transaction for projection " + jdbc.name() + " from the DataSource: " + e, e);
        }
    }

    /**
     * The event as the projection gets it from the store: written by {@code written} and read by the
     * current version's codec (through the upcasters for a legacy class); an event of the current
     * version must come back equal.
     */
    private Object roundTrip(EventCodec<?> written, Object event) {
        byte[] json = GeneratedCode.write(written, event);
        EventCodec<?> reader = GeneratedCode.reader(descriptor.eventCodecs(), written);
        Object back = GeneratedCode.read(reader, json, written.version());
        if (reader == written && !back.equals(event)) {
            throw new AssertionError("event " + event + " does not survive its codec: read back " + back
                    + " from " + new String(json, StandardCharsets.UTF_8));
        }
        return back;
    }
}
