package dev.eventsource.store;

import java.util.List;

/**
 * Role: keep the events projections gave up on, with their errors.
 *
 * <pre>{@code
 * List<DeadLetter> failed = store.loadDeadLetters("order-summary");   // saved by the engine with saveDeadLetter
 * boolean existed = store.deleteDeadLetter("order-summary", failed.get(0).globalPosition());   // retried
 * }</pre>
 */
public interface DeadLetterStore {

    /** Keeps a dead letter; a second one for the same projection and position replaces the first. */
    void saveDeadLetter(DeadLetter deadLetter);

    /** The projection's dead letters in position order. */
    List<DeadLetter> loadDeadLetters(String projection);

    /**
     * Removes the projection's dead letter at {@code globalPosition} (the engine calls it after a
     * successful retry); the projection's other dead letters and other projections' stay.
     *
     * @return whether there was one
     */
    boolean deleteDeadLetter(String projection, long globalPosition);
}
