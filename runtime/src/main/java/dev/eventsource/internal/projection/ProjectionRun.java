package dev.eventsource.internal.projection;

import dev.eventsource.EngineObserver;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.TransactionalCheckpoints;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * What every part of one run of an asynchronous projection shares (an {@link AsyncProjection} runs
 * once): the projection and its options, the store, the clock, whether the run was asked to stop,
 * and how it retries the store.
 *
 * <p>Immutable; {@code stopping} is read by every thread of the run and turned true by
 * {@link AsyncProjection#stop}.
 *
 * <pre>{@code
 * ProjectionRun run = new ProjectionRun(target, options, store, null, clock, projection,
 *         new StoreRetry(target.name(), projection));
 * if (run.stopping().getAsBoolean()) return;
 * }</pre>
 *
 * @param transactions the store's transaction role; required when the target is transactional, else may be null
 * @param clock the time dead letters are stamped with
 * @param stopping whether the run was asked to stop
 * @param observer told of each batch a partition handles
 */
record ProjectionRun(Target target, StreamOptions options, EventStore store, TransactionalCheckpoints transactions,
        Clock clock, BooleanSupplier stopping, StoreRetry retry, EngineObserver observer) {

    /** The projection's name: its checkpoint and dead-letter key. */
    String name() {
        return target.name();
    }
}
