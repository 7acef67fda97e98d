package dev.eventsource.store;

import java.util.List;

/**
 * Role: a store that remembers which command produced each append, so a command sent twice is
 * stored once. The engine puts the command's id in the metadata of every event under
 * {@link #METADATA_KEY}. One append may hold the events of several commands (the engine appends the
 * commands queued on one aggregate together): each event whose command id differs from the previous
 * event's starts a command ({@link #startedBy}). A store with this role records each command's id
 * with the version of its first event and refuses an append that holds a command id the stream
 * already has (or holds one twice) by throwing {@link DuplicateCommandException}, whatever the
 * expected version, and appends none of it. The check must hold across processes (PostgreSQL: a
 * unique index), so no cache decides it. Events without a command id are never refused for it.
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
     * The stream version of the first event that command {@code commandId} stored in
     * the stream, or {@code 0} if it stored none.
     */
    long commandVersion(String streamType, String streamId, String commandId);

    /**
     * The command id that event {@code index} of an append starts: its {@link #METADATA_KEY} entry,
     * unless the event before it has the same one (or it has none), then {@code null}.
     *
     * <pre>{@code
     * for (int i = 0; i < events.size(); i++) {
     *     String started = CommandIds.startedBy(events, i);   // remember it with version expected + 1 + i
     * }
     * }</pre>
     */
    static String startedBy(List<NewEvent> events, int index) {
        String id = events.get(index).metadata().get(METADATA_KEY);
        if (id == null || index == 0) {
            return id;
        }
        return id.equals(events.get(index - 1).metadata().get(METADATA_KEY)) ? null : id;
    }
}
