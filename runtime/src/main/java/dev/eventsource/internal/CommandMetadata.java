package dev.eventsource.internal;

import dev.eventsource.CommandContext;
import dev.eventsource.EventEnvelope;
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
 * Map<String, String> metadata = CommandMetadata.of(context, clock, "Order", "o1");
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class CommandMetadata {

    private CommandMetadata() {
    }

    /**
     * The metadata, not yet checked against the engine's limits ({@link Inputs#metadata} does that).
     *
     * @throws IllegalArgumentException naming the key when a header uses a reserved key
     */
    public static Map<String, String> of(CommandContext context, Clock clock, String streamType, String id) {
        Map<String, String> headers = context.headers();
        Map<String, String> metadata = new HashMap<>(8 + headers.size() * 2);
        String commandId = context.commandId() != null ? context.commandId() : Uuid7.next(clock.millis()).toString();
        metadata.put(EventEnvelope.COMMAND_ID, commandId);
        metadata.put(EventEnvelope.CORRELATION_ID, context.correlationId() != null ? context.correlationId() : commandId);
        putIfSet(metadata, EventEnvelope.CAUSATION_ID, context.causationId());
        putIfSet(metadata, EventEnvelope.USER_ID, context.userId());
        putIfSet(metadata, EventEnvelope.TENANT_ID, context.tenantId());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String key = header.getKey();
            if (key != null && reserved(key)) {
                throw new IllegalArgumentException("metadata key '" + key + "' of the command on " + streamType + "/"
                        + Text.abbreviate(id) + " is reserved: the engine writes it from the CommandContext; set it with"
                        + " CommandContext.builder()." + setter(key) + "(...) instead of a header");
            }
            metadata.put(key, header.getValue());
        }
        return metadata;
    }

    /** Whether the engine writes {@code key} itself. */
    public static boolean reserved(String key) {
        return switch (key) {
            case EventEnvelope.COMMAND_ID, EventEnvelope.CORRELATION_ID, EventEnvelope.CAUSATION_ID,
                    EventEnvelope.USER_ID, EventEnvelope.TENANT_ID -> true;
            default -> false;
        };
    }

    private static String setter(String key) {
        return switch (key) {
            case EventEnvelope.COMMAND_ID -> "commandId";
            case EventEnvelope.CORRELATION_ID -> "correlationId";
            case EventEnvelope.CAUSATION_ID -> "causationId";
            case EventEnvelope.USER_ID -> "userId";
            default -> "tenantId";
        };
    }

    private static void putIfSet(Map<String, String> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }
}
