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

    /** Saves (inserts or overwrites) one partition's checkpoint. */
    void saveCheckpoint(String projection, int partition, long position);

    /** Forgets every checkpoint of the projection, before a rebuild. */
    void deleteCheckpoints(String projection);
}
