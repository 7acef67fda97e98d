package dev.eventsource.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loaded aggregates kept between commands, with take-out semantics: a command {@link #take}s the
 * instance (removing it, so no other command can use it at the same time), and {@link #put}s it
 * back only after a successful commit; a failed command simply drops it. A cached instance may be
 * behind the store (another writer, another process): the engine catches it up by reading the
 * events after its version before using it.
 *
 * <p>Bounded: when more than {@code maximumSize} instances are cached, arbitrary other entries are
 * evicted (not LRU; eviction only costs a later reload). Thread-safe.
 *
 * @param <A> the aggregate type
 *
 * <pre>{@code
 * Order order = cache.take("o1");   // null on a miss; nobody else can take it now
 * // ... run the command, commit ...
 * cache.put("o1", order);
 * }</pre>
 */
public final class AggregateCache<A> {

    private final ConcurrentHashMap<String, A> entries;
    private final int maximumSize;

    /** A cache of at most {@code maximumSize} aggregates; {@code 0} caches nothing. */
    public AggregateCache(int maximumSize) {
        this.maximumSize = maximumSize;
        this.entries = new ConcurrentHashMap<>(maximumSize == 0 ? 1 : Math.min(maximumSize, 1 << 12));
    }

    /** Removes and returns the cached instance, or {@code null}. */
    public A take(String id) {
        return maximumSize == 0 ? null : entries.remove(id);
    }

    /** Caches an instance that reflects the store up to its version. */
    public void put(String id, A aggregate) {
        if (maximumSize == 0) {
            return;
        }
        entries.put(id, aggregate);
        if (entries.size() > maximumSize) {
            Iterator<String> keys = entries.keySet().iterator();
            while (entries.size() > maximumSize && keys.hasNext()) {
                if (!keys.next().equals(id)) {
                    keys.remove();
                }
            }
        }
    }

    /** Drops every cached instance. */
    public void clear() {
        entries.clear();
    }

    /** Number of cached instances. */
    public int size() {
        return entries.size();
    }
}
