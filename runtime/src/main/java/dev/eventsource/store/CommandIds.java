package dev.eventsource.store;

/**
 * Role: a store that remembers which command produced each append, so a command sent twice is
 * stored once. The engine puts the command's id in the metadata of every event under
 * {@link #METADATA_KEY}; a store with this role records the id of each append's first event with
 * the stream and refuses a second append to the same stream with the same id by throwing
 * {@link DuplicateCommandException}, whatever the expected version. The check must hold across
 * processes (PostgreSQL: a unique index), so no cache decides it. Appends whose first event has no
 * command id are never refused for it.
 *
 * <pre>{@code
 * if (store instanceof CommandIds ids && ids.commandVersion("Order", "order_1", "request-42") > 0) {
 *     // request-42 was stored already
 * }
 * }</pre>
 *
 * <p>Ids are remembered as long as the stream's events are kept: there is no expiry.
 */
public interface CommandIds {

    /** The metadata key of the command id ({@code dev.eventsource.EventEnvelope.COMMAND_ID}). */
    String METADATA_KEY = "command-id";

    /**
     * The stream version of the first event of the append that command {@code commandId} made to
     * the stream, or {@code 0} if it made none.
     */
    long commandVersion(String streamType, String streamId, String commandId);
}
