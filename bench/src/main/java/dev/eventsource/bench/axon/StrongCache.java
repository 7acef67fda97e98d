package dev.eventsource.bench.axon;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * An Axon {@link Cache} that never evicts: every aggregate stays in memory, as it would in a
 * production cache (EhCache, JCache) sized for the working set. Axon's bundled
 * {@code WeakReferenceCache} loses entries at every GC, and each miss then scans the whole
 * in-memory event log, which would measure the storage engine's scan rather than Axon's command
 * path.
 *
 * <pre>{@code
 * EventSourcingRepository.builder(AxonOrder.class).eventStore(store).cache(new StrongCache()).build();
 * }</pre>
 */
final class StrongCache implements Cache {

    private final Map<Object, Object> entries = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) entries.get(key);
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public void removeAll() {
        entries.clear();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        entries.computeIfPresent(key, (k, v) -> update.apply((V) v));
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        // Nothing is ever evicted or expired, so there is nothing to tell a listener.
        return () -> true;
    }
}
