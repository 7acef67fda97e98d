package dev.eventsource.store;

import java.util.function.Consumer;

/**
 * Role: read one stream in version order.
 *
 * <pre>{@code
 * long after = store.loadSnapshot("Order", "order_1").map(Snapshot::version).orElse(0L);
 * long version = store.readStream("Order", "order_1", after, e -> log.info(e.describe()));
 * }</pre>
 */
public interface ReadStream {

    /**
     * Passes each event of the stream with a version greater than {@code afterVersion} to
     * {@code sink}, in version order, without holding the whole stream in memory.
     *
     * @return the version of the last event passed, or {@code afterVersion} if there was none
     * @throws StoreException if the store fails
     */
    long readStream(String streamType, String streamId, long afterVersion, Consumer<? super StoredEvent> sink);
}
