package dev.eventsource.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Loaded aggregates kept between commands, with take-out semantics: a command {@link #take}s the
 * instance (removing it, so no other command can use it at the same time), and {@link #put}s it
 * back only after a successful commit; a failed command simply drops it. A cached instance may be
 * behind the store (another writer, another process): the engine catches it up by reading the
 * events after its version before using it.
 *
 * <p>Bounded: when more than {@code maximumSize} instances are cached, other entries are evicted in
 * the map's iteration order by a cursor that carries on where the last eviction stopped (a clock
 * without reference bits: not LRU; eviction only costs a later reload). Keeping the cursor makes an
 * eviction cost O(1) amortized; starting a fresh iteration each time would walk past every bin that
 * earlier evictions emptied, O(table size) per new aggregate once the cache is full.
 *
 * <p>Thread-safe: {@link #take} and {@link #put} are lock-free map operations; one thread at a time
 * evicts ({@code tryLock}: a put that finds another thread evicting leaves the work to it and to the
 * next put, so the bound is exceeded by at most the number of concurrent puts, briefly).
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
    private final ReentrantLock evicting = new ReentrantLock();
    /** Where the last eviction stopped; weakly consistent, so it survives concurrent changes. Guarded by {@link #evicting}. */
    private Iterator<String> cursor;

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
        if (entries.size() > maximumSize && evicting.tryLock()) {
            try {
                evictKeeping(id);
            } finally {
                evicting.unlock();
            }
        }
    }

    /** Evicts entries other than {@code keep} from the cursor on until the bound holds again. */
    private void evictKeeping(String keep) {
        Iterator<String> keys = cursor;
        boolean restarted = false;
        while (entries.size() > maximumSize) {
            if (keys == null || !keys.hasNext()) {
                if (restarted) {
                    break;                  // a whole pass found only {@code keep}: concurrent puts, the next put goes on
                }
                keys = entries.keySet().iterator();
                restarted = true;
                continue;
            }
            if (!keys.next().equals(keep)) {
                keys.remove();
            }
        }
        cursor = keys;
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
