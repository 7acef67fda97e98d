package dev.eventsource;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Engine#executeResult} did: the aggregate after the command, the events it appended
 * (with their versions, positions and metadata), and whether the command was a duplicate: its
 * command id had already produced events on the stream, so nothing was appended and the aggregate
 * is the stored one.
 *
 * <pre>{@code
 * CommandContext context = CommandContext.builder().commandId("request-42").build();
 * CommandResult<Order> r = engine.executeResult(Order.class, "order_1", new CreateOrder("order_1", "c_1", 10.0), context);
 * if (r.duplicate()) {
 *     log.info("request-42 was stored before; order_1 is at version {}", r.aggregate().version());
 * }
 * }</pre>
 *
 * @param aggregate the aggregate after the command (the engine's cached copy: read it right away)
 * @param events the events this call appended, in order; empty for a duplicate or a command that
 *     recorded nothing
 * @param duplicate whether the command id had been stored on the stream before
 * @param <A> the aggregate type
 */
public record CommandResult<A extends AggregateRoot>(A aggregate, List<EventEnvelope<?>> events, boolean duplicate) {

    /** Checks that nothing is missing and freezes the events. */
    public CommandResult {
        Objects.requireNonNull(aggregate, "aggregate");
        events = List.copyOf(events);
    }
}
