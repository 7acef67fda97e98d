package dev.eventsource;

/**
 * What {@link Engine#start()} does when the store holds events this build cannot read (an event
 * type no registered aggregate or projection knows, or a payload version outside what its codec
 * reads): see {@link Engine.Builder#unreadableEvents}.
 *
 * <pre>{@code
 * Engine engine = Engine.builder().store(store).unreadableEvents(UnreadableEvents.WARN).build();
 * }</pre>
 */
public enum UnreadableEvents {

    /** {@code start()} throws an {@link UnreadableEventsException} naming each combination (the default). */
    REFUSE,

    /** {@code start()} logs one warning naming each combination and starts; reading those events fails later. */
    WARN
}
