package dev.eventsource.internal;

import dev.eventsource.AggregateRoot;
import dev.eventsource.EventEnvelope;
import dev.eventsource.spi.AggregateDescriptor;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The engine's access to {@link AggregateRoot}'s private bookkeeping (version, recorded events),
 * implemented inside {@code AggregateRoot} and handed to the engine only, so none of it is public API.
 *
 * <p>Called on the thread that owns the aggregate for the current command.
 *
 * <pre>{@code
 * AggregateAccess access = ...;   // handed to the engine by AggregateRoot
 * access.loaded(order, 12);
 * }</pre>
 */
public interface AggregateAccess {

    /** Binds a new instance to its descriptor and stream id. */
    void attach(AggregateRoot aggregate, AggregateDescriptor<?> descriptor, String streamId);

    /** Sets the version after events were replayed or a snapshot read. */
    void loaded(AggregateRoot aggregate, long version);

    /**
     * Starts a command on this thread: events may be recorded now; their provisional envelopes carry
     * {@code metadata} and a timestamp from {@code clock}.
     */
    void beginCommand(AggregateRoot aggregate, Map<String, String> metadata, Clock clock);

    /** The recorded events, live (not a copy); empty when none. */
    List<Object> uncommitted(AggregateRoot aggregate);

    /** The provisional envelope of the {@code index}th recorded event, or {@code null} if none was made. */
    EventEnvelope<?> recordedEnvelope(AggregateRoot aggregate, int index);

    /** Forgets the recorded events after they were appended. */
    void committed(AggregateRoot aggregate);
}
