package dev.eventsource;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Who asked for a command and why: its id (the idempotency key), the correlation and causation ids
 * that tie it to the request or event it came from, the user and tenant, and free-form headers.
 * {@link Engine#execute(Class, String, Command, CommandContext)} stores all of it in the metadata of
 * every event the command records (see {@link EventEnvelope} for the reserved keys), and passes it to
 * {@link Command#validate(AggregateRoot, CommandContext)} and
 * {@link Command#perform(AggregateRoot, CommandContext)}.
 *
 * <pre>{@code
 * CommandContext context = CommandContext.builder()
 *         .commandId("request-42")                 // stored as "command-id" with each event
 *         .userId("ann").tenantId("acme")
 *         .header("channel", "web")
 *         .build();
 * engine.execute(Order.class, "order_1", new CreateOrder("order_1", "c_1", 10.0), context);
 * }</pre>
 *
 * <p>Every part is optional: without a command id the engine generates a fresh UUIDv7 per
 * {@code execute}; without a correlation id the command id is used. Immutable and thread-safe.
 *
 * @param commandId the command's id, or {@code null} for a fresh one per {@code execute}
 * @param correlationId the id shared by everything one request caused, or {@code null} for the
 *     command id
 * @param causationId the id of the event (or message) that caused this command, or {@code null}
 * @param userId who asked, or {@code null}
 * @param tenantId on whose behalf, or {@code null}
 * @param headers more metadata stored with each event; keys must not be reserved ones
 */
public record CommandContext(
        String commandId,
        String correlationId,
        String causationId,
        String userId,
        String tenantId,
        Map<String, String> headers) {

    private static final CommandContext NONE = new CommandContext(null, null, null, null, null, Map.of());

    /** Checks the ids and freezes the headers (they are checked against the limits at {@code execute}). */
    public CommandContext {
        requireNonBlank("commandId", commandId);
        requireNonBlank("correlationId", correlationId);
        requireNonBlank("causationId", causationId);
        requireNonBlank("userId", userId);
        requireNonBlank("tenantId", tenantId);
        Objects.requireNonNull(headers, "headers");
        headers = headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** No context: a fresh command id, no user, tenant or headers. */
    public static CommandContext none() {
        return NONE;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The context of a command a reaction (a process manager, an event handler that executes
     * commands) executes because of {@code event}: the correlation id, user and tenant are the
     * event's, the causation id is the event's id, and the command id is derived from
     * {@code reactionName} and the event id. Delivering the event again (projections deliver at
     * least once) therefore executes a command with the same id, which the engine recognises as a
     * duplicate and does not append again.
     *
     * <pre>{@code
     * @Projection
     * public class ConfirmNewOrders {
     *     private final Engine engine;
     *     public ConfirmNewOrders(Engine engine) { this.engine = engine; }
     *     @Apply void on(OrderCreated e, EventEnvelope<OrderCreated> env) {
     *         engine.execute(Order.class, e.id(), order -> order.record(new OrderStatusChanged(e.id(), "confirmed")),
     *                 CommandContext.causedBy(env, "confirm-new-orders"));
     *     }
     * }
     * }</pre>
     *
     * @param reactionName a stable name of the reaction; two reactions to one event need two names
     */
    public static CommandContext causedBy(EventEnvelope<?> event, String reactionName) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(reactionName, "reactionName");
        requireNonBlank("reactionName", reactionName);
        String eventId = event.eventId().toString();
        String commandId = UUID.nameUUIDFromBytes((reactionName + '\n' + eventId).getBytes(StandardCharsets.UTF_8))
                .toString();
        return new CommandContext(commandId, event.correlationId().orElse(eventId), eventId,
                event.userId().orElse(null), event.tenantId().orElse(null), Map.of());
    }

    /**
     * This context with one more header ({@code key} set to {@code value}, replacing an earlier
     * value): how a {@link CommandInterceptor} adds metadata, such as a trace context, to a command's
     * events. The key is checked at {@code execute}, as every header is.
     */
    public CommandContext withHeader(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(key, value);
        return new CommandContext(commandId, correlationId, causationId, userId, tenantId, more);
    }

    private static void requireNonBlank(String what, String value) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank; leave it out instead: '" + value + "'");
        }
    }

    /**
     * Builds a {@link CommandContext}; every setter is optional.
     *
     * <pre>{@code
     * CommandContext c = CommandContext.builder().userId("ann").header("ip", "10.0.0.7").build();
     * }</pre>
     */
    public static final class Builder {
        private String commandId;
        private String correlationId;
        private String causationId;
        private String userId;
        private String tenantId;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder() {
        }

        /** The command's id: the idempotency key of the command on its aggregate. */
        public Builder commandId(String commandId) {
            this.commandId = commandId;
            return this;
        }

        /** The id shared by everything one request caused. */
        public Builder correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        /** The id of what caused this command (an event id, a message id). */
        public Builder causationId(String causationId) {
            this.causationId = causationId;
            return this;
        }

        /** Who asked. */
        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        /** On whose behalf. */
        public Builder tenantId(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        /** One more metadata entry stored with each event; a key set twice keeps the last value. */
        public Builder header(String key, String value) {
            headers.put(key, value);
            return this;
        }

        /** Every entry of {@code headers} as {@link #header(String, String)}. */
        public Builder headers(Map<String, String> headers) {
            this.headers.putAll(headers);
            return this;
        }

        /** The context. */
        public CommandContext build() {
            return new CommandContext(commandId, correlationId, causationId, userId, tenantId, headers);
        }
    }
}
