package dev.eventsource.internal;

import dev.eventsource.store.AppendResult;
import dev.eventsource.store.NewEvent;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * What the command path tells the projections about a commit: inline projections run on the
 * command's thread; asynchronous readers are woken.
 *
 * <pre>{@code
 * Lock order = hooks.orderLock(id);
 * // append, then:
 * hooks.committed("Order", id, 3, events, batch, result);
 * }</pre>
 */
public interface CommitHooks {

    /**
     * A lock to hold from before the append until {@link #committed} returns, so inline projections
     * see one stream's events in version order even when commands on it race; {@code null} when no
     * inline projection is registered.
     */
    Lock orderLock(String streamId);

    /**
     * Called on the command thread right after a successful append.
     *
     * @param events the recorded event objects, in order
     * @param batch what was appended (ids, timestamps, metadata), same order
     * @param firstVersion the first event's stream version
     */
    void committed(String streamType, String streamId, long firstVersion, List<Object> events, List<NewEvent> batch,
            AppendResult result);
}
