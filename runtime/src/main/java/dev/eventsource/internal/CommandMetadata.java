package dev.eventsource.internal;

import dev.eventsource.CommandContext;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Limits;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The metadata a command's events are stored with: the reserved keys from its {@link CommandContext}
 * (a fresh UUIDv7 command id when none was given, the command id as correlation id when none was
 * given) followed by the context's headers. Built once per {@code execute}, so the command id is the
 * same on every conflict retry.
 *
 * <pre>{@code
 * Map<String, String> metadata = CommandMetadata.of(context, Limits.defaults(), clock, "Order", "o1");
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class CommandMetadata {

    private CommandMetadata() {
    }

    /**
     * The metadata, immutable. The context's headers and the ids it gives are checked against the
     * engine's limits here ({@link Inputs}); a generated command id needs no check.
     *
     * @throws IllegalArgumentException naming the key when a header uses a reserved key, or a header
     *     or a given id is over the limits or not valid Unicode
     */
    public static Map<String, String> of(CommandContext context, Limits limits, Clock clock, String streamType, String id) {
        Map<String, String> headers = Inputs.metadata(limits, streamType, id, context.headers());
        String commandId = given(limits, streamType, id, EventEnvelope.COMMAND_ID, context.commandId());
        if (commandId == null) {
            commandId = Uuid7.next(clock.millis()).toString();
        }
        String correlationId = given(limits, streamType, id, EventEnvelope.CORRELATION_ID, context.correlationId());
        String causationId = given(limits, streamType, id, EventEnvelope.CAUSATION_ID, context.causationId());
        String userId = given(limits, streamType, id, EventEnvelope.USER_ID, context.userId());
        String tenantId = given(limits, streamType, id, EventEnvelope.TENANT_ID, context.tenantId());
        if (correlationId == null) {
            correlationId = commandId;
        }
        if (headers.isEmpty() && causationId == null && userId == null && tenantId == null) {
            // The common case, built straight into an immutable map: no HashMap, no copy.
            return Map.of(EventEnvelope.COMMAND_ID, commandId, EventEnvelope.CORRELATION_ID, correlationId);
        }
        Map<String, String> metadata = new HashMap<>(8 + headers.size() * 2);
        metadata.put(EventEnvelope.COMMAND_ID, commandId);
        metadata.put(EventEnvelope.CORRELATION_ID, correlationId);
        putIfSet(metadata, EventEnvelope.CAUSATION_ID, causationId);
        putIfSet(metadata, EventEnvelope.USER_ID, userId);
        putIfSet(metadata, EventEnvelope.TENANT_ID, tenantId);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String key = header.getKey();
            String setter = setter(key);
            if (setter != null) {
                throw new IllegalArgumentException("metadata key '" + key + "' of the command on " + streamType + "/"
                        + Text.abbreviate(id) + " is reserved: the engine writes it from the CommandContext; set it with"
                        + " CommandContext.builder()." + setter + "(...) instead of a header");
            }
            metadata.put(key, header.getValue());
        }
        return Map.copyOf(metadata);
    }

    /** A given id, checked like a metadata value; {@code null} when not given. */
    private static String given(Limits limits, String streamType, String id, String key, String value) {
        if (value != null) {
            Inputs.metadataValue(limits, streamType, id, key, value);
        }
        return value;
    }

    /** Whether the engine writes {@code key} itself. */
    public static boolean reserved(String key) {
        return setter(key) != null;
    }

    /** The {@code CommandContext.Builder} method that sets a reserved key, or {@code null} for another key. */
    private static String setter(String key) {
        return switch (key) {
            case EventEnvelope.COMMAND_ID -> "commandId";
            case EventEnvelope.CORRELATION_ID -> "correlationId";
            case EventEnvelope.CAUSATION_ID -> "causationId";
            case EventEnvelope.USER_ID -> "userId";
            case EventEnvelope.TENANT_ID -> "tenantId";
            default -> null;
        };
    }

    private static void putIfSet(Map<String, String> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }
}
