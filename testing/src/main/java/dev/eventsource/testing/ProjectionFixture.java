package dev.eventsource.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import dev.eventsource.TransactionalProjection;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.ProjectionDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
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

    private static final JsonFactory JSON = new JsonFactory();

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
        ProjectionDescriptor<P> descriptor = descriptorOf(projection);
        if (descriptor == null && !(projection instanceof Projection) && !(projection instanceof TransactionalProjection)) {
            throw new IllegalArgumentException(projection.getClass().getName() + " is neither an @Projection class"
                    + " with a generated descriptor nor a dev.eventsource.Projection or TransactionalProjection");
        }
        return new ProjectionFixture<>(projection, descriptor);
    }

    @SuppressWarnings("unchecked")
    private static <P> ProjectionDescriptor<P> descriptorOf(P projection) {
        for (Class<?> c = projection.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (ProjectionDescriptor<?> d : ServiceLoader.load(ProjectionDescriptor.class, c.getClassLoader())) {
                if (d.type() == c) {
                    return (ProjectionDescriptor<P>) d;
                }
            }
        }
        return null;
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

    /** Handles {@code events}, in order, each in its own made-up envelope. */
    public ProjectionFixture<P> given(Object... events) {
        for (Object event : events) {
            Objects.requireNonNull(event, "a given event is null");
            handled++;
            EventCodec<?> codec = codecOf(event);
            String eventType = codec == null ? event.getClass().getSimpleName() : codec.name();
            Object data = codec == null ? event : roundTrip(codec, event);
            EventEnvelope<Object> envelope = new EventEnvelope<>(data, eventType, "fixture", "fixture-1", handled, handled,
                    new UUID(handled, handled), time, Map.of());
            if (descriptor != null) {
                descriptor.handle(projection, envelope);
            } else if (projection instanceof TransactionalProjection<?> transactional) {
                inTransaction(transactional, envelope);
            } else {
                ((Projection) projection).handle(envelope);
            }
        }
        return this;
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

    private EventCodec<?> codecOf(Object event) {
        if (descriptor == null) {
            return null;
        }
        for (EventCodec<?> codec : descriptor.eventCodecs()) {
            if (codec.type() == event.getClass()) {
                return codec;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <E> Object roundTrip(EventCodec<E> codec, Object event) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JsonGenerator out = JSON.createGenerator(bytes)) {
                codec.write(out, (E) event);
            }
            try (JsonParser in = JSON.createParser(bytes.toByteArray())) {
                in.nextToken();
                Object back = codec.read(in, codec.version());
                if (!back.equals(event)) {
                    throw new AssertionError("event " + event + " does not survive its codec: read back " + back
                            + " from " + bytes.toString(StandardCharsets.UTF_8));
                }
                return back;
            }
        } catch (IOException e) {
            throw new AssertionError("event " + event + " cannot be written and read by its codec: " + e, e);
        }
    }
}
