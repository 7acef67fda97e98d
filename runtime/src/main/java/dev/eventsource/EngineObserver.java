package dev.eventsource;

import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.StoredEvent;
import java.util.List;

/**
 * Told what an {@link Engine} does inside, for metrics and tracing: retries after conflicts, each
 * append (how many commands and events it carried), each snapshot written, and each batch an
 * asynchronous projection partition handles. Every method has an empty default; they run on the
 * engine's threads (command threads, the snapshot writer, partition workers), must be quick and must
 * not throw (what one throws is logged and ignored). Commands themselves are seen with a
 * {@link CommandInterceptor}. An engine without observers calls {@link #NONE}, whose empty methods
 * the JIT removes.
 *
 * <pre>{@code
 * EngineObserver appends = new EngineObserver() {
 *     @Override
 *     public void appended(String streamType, String aggregateId, int commands, int events) {
 *         System.out.println(streamType + "/" + aggregateId + ": " + commands + " commands, " + events + " events");
 *     }
 * };
 * Engine engine = Engine.builder().observer(appends).build();
 * }</pre>
 */
public interface EngineObserver {

    /** Observes nothing: what an engine without observers uses. */
    EngineObserver NONE = new EngineObserver() {
    };

    /**
     * A command's append conflicted with another writer (another process, another engine on the
     * store) and the command runs again after a pause; {@code retry} counts from 1. Not called for
     * the re-runs that are not counted against {@code maxRetries} (a guess that did not hold, a
     * batch-mate's failure).
     */
    default void commandRetried(String streamType, String aggregateId, int retry, ConcurrencyException conflict) {
    }

    /**
     * One append committed: the events of {@code commands} commands queued on one aggregate (1 when
     * it was not shared), {@code events} events in all.
     */
    default void appended(String streamType, String aggregateId, int commands, int events) {
    }

    /** The snapshot writer stored a snapshot of {@code bytes} bytes at {@code version}. */
    default void snapshotWritten(String streamType, String aggregateId, long version, int bytes) {
    }

    /**
     * A partition worker of asynchronous projection {@code projection} is about to handle
     * {@code events} (in log order; the list is only valid during the call); the returned batch is
     * ended once they are handled, on the same thread, so a tracing observer can make a span
     * current around the handling (the commands a reaction executes then nest in it).
     */
    default Batch projectionBatch(String projection, int partition, List<StoredEvent> events) {
        return Batch.NONE;
    }

    /** One projection batch as an observer follows it. */
    interface Batch {

        /** Ends nothing. */
        Batch NONE = failure -> { };

        /**
         * The batch was handled: {@code failure} is {@code null}, or why the partition stopped on it
         * (a handler failure under {@code STOP_PARTITION}, an error).
         */
        void end(Throwable failure);
    }
}
