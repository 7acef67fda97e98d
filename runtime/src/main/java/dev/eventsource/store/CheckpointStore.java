package dev.eventsource.store;

import java.util.Map;

/**
 * Role: remember, per projection and partition, the global position up to which events were
 * handled.
 *
 * <pre>{@code
 * store.saveCheckpoint("order-summary", 2, 1_042);
 * long resumeAfter = store.loadCheckpoints("order-summary").getOrDefault(2, 0L);
 * }</pre>
 */
public interface CheckpointStore {

    /** Every checkpoint of the projection, partition -> position; empty if it never ran. */
    Map<Integer, Long> loadCheckpoints(String projection);

    /**
     * Saves one partition's checkpoint: inserts it, or raises the saved one to {@code position}.
     * Checkpoints never move backwards: a save at or below the saved position changes nothing (two
     * engines may run one projection, and the slower one must not undo the faster one's progress,
     * or a restart would handle those events again). Only {@link #deleteCheckpoints} lowers them.
     */
    void saveCheckpoint(String projection, int partition, long position);

    /**
     * Forgets every checkpoint of the projection: the only way to lower them (a rebuild, or a
     * change of the partition count, deletes and then saves from scratch).
     */
    void deleteCheckpoints(String projection);
}
