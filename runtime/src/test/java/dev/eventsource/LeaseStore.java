package dev.eventsource;

import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.Lease;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.PartitionLeases;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.TransactionalCheckpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of a store shared by several engines (instances) in one JVM, as PostgreSQL is shared
 * by several processes: one {@link InMemoryStore} for the events and checkpoints, plus an in-memory
 * lease table that honours the {@link PartitionLeases} contract (membership and leases expire by the
 * store's own clock, which the test moves; each claim gets the next epoch; fenced writes commit only
 * at the writer's epoch while its lease runs; deleting checkpoints revokes every lease of the
 * projection) and fake transactions over one shared read-model table ({@link TransactionalCheckpoints}:
 * a transaction's staged counts are applied with its checkpoint, or not at all).
 *
 * <p>Faults by instance: {@link #cut} makes every lease call of an instance (heartbeat, claim,
 * release, leave) and every fenced write fail as a network cut would; {@link #mute} fails only its
 * lease calls, so its workers still reach the store (a lease thread that stalls while the workers go
 * on). Everything is guarded by this object's monitor.
 */
final class LeaseStore extends ForwardingEventStore implements PartitionLeases, TransactionalCheckpoints {

    /** The fake transaction: counts per global position, applied on commit; a reset truncates. */
    static final class Tx {
        final Map<Long, Integer> staged = new HashMap<>();
        boolean truncate;
    }

    private static final class Row {
        String owner;
        long epoch;
        Instant expiresAt;
        String failure;
    }

    private Instant now = Instant.parse("2026-12-01T12:00:00Z");
    private final Map<String, Map<Integer, Row>> leases = new HashMap<>();
    private final Map<String, Map<String, Instant>> members = new HashMap<>();
    private final Map<Long, Integer> table = new HashMap<>();
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final Set<String> muted = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> heartbeats = new ConcurrentHashMap<>();
    /** Fenced writes refused, by instance. */
    final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();

    LeaseStore() {
        super(new InMemoryStore());
    }

    // ---- the test's controls ----

    /** Moves the store's clock: leases and memberships not renewed within it run out. */
    synchronized void advance(Duration by) {
        now = now.plus(by);
    }

    /** Cuts {@code instance} off: its lease calls and fenced writes fail until {@link #heal}ed. */
    void cut(String instance) {
        cut.add(instance);
    }

    /** Fails {@code instance}'s lease calls (not its fenced writes) until {@link #heal}ed. */
    void mute(String instance) {
        muted.add(instance);
    }

    /** Ends {@link #cut} and {@link #mute} of {@code instance}. */
    void heal(String instance) {
        cut.remove(instance);
        muted.remove(instance);
    }

    /** How many heartbeats of {@code instance} succeeded. */
    int heartbeats(String instance) {
        return heartbeats.computeIfAbsent(instance, k -> new AtomicInteger()).get();
    }

    /** The read-model table of the transactional projections: how often each position was applied. */
    synchronized Map<Long, Integer> table() {
        return new TreeMap<>(table);
    }

    private void reachable(String instance, boolean leaseCall) {
        if (cut.contains(instance) || leaseCall && muted.contains(instance)) {
            throw new StoreUnavailableException("instance " + instance + " cannot reach the store (simulated)", null);
        }
    }

    private Map<Integer, Row> rows(String projection, int partitions) {
        Map<Integer, Row> rows = leases.computeIfAbsent(projection, k -> new HashMap<>());
        for (int i = 0; i < partitions; i++) {
            rows.computeIfAbsent(i, k -> new Row());
        }
        return rows;
    }

    private boolean live(Row row) {
        return row.owner != null && row.expiresAt.isAfter(now);
    }

    private static Lease lease(String projection, int partition, Row row) {
        return new Lease(projection, partition, row.owner, row.epoch, row.owner == null ? null : row.expiresAt, row.failure);
    }

    // ---- PartitionLeases ----

    @Override
    public synchronized Membership heartbeat(String projection, int partitions, String instanceId, Duration timeout) {
        reachable(instanceId, true);
        Map<String, Instant> live = members.computeIfAbsent(projection, k -> new HashMap<>());
        live.put(instanceId, now.plus(timeout));
        live.values().removeIf(until -> !until.isAfter(now));
        List<Lease> held = new ArrayList<>();
        rows(projection, partitions).forEach((partition, row) -> {
            if (partition < partitions && instanceId.equals(row.owner) && live(row)) {
                row.expiresAt = now.plus(timeout);
                held.add(lease(projection, partition, row));
            }
        });
        held.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        heartbeats.computeIfAbsent(instanceId, k -> new AtomicInteger()).incrementAndGet();
        return new Membership(live.size(), held);
    }

    @Override
    public synchronized List<Lease> claim(String projection, int partitions, String instanceId, int max, Duration timeout) {
        reachable(instanceId, true);
        List<Lease> claimed = new ArrayList<>();
        Map<Integer, Row> rows = rows(projection, partitions);
        for (int i = 0; i < partitions && claimed.size() < max; i++) {
            Row row = rows.get(i);
            if (!live(row)) {
                row.owner = instanceId;
                row.epoch++;
                row.expiresAt = now.plus(timeout);
                claimed.add(lease(projection, i, row));
            }
        }
        return claimed;
    }

    @Override
    public synchronized void release(Lease lease) {
        reachable(lease.owner(), true);
        Row row = leases.getOrDefault(lease.projection(), Map.of()).get(lease.partition());
        if (row != null && held(row, lease)) {
            row.owner = null;
            row.expiresAt = null;
        }
    }

    @Override
    public synchronized void leave(String projection, String instanceId) {
        reachable(instanceId, true);
        leases.getOrDefault(projection, Map.of()).values().forEach(row -> {
            if (instanceId.equals(row.owner)) {
                row.owner = null;
                row.expiresAt = null;
            }
        });
        members.getOrDefault(projection, new HashMap<>()).remove(instanceId);
    }

    private boolean held(Row row, Lease lease) {
        return lease.owner() != null && lease.owner().equals(row.owner) && row.epoch == lease.epoch() && live(row);
    }

    private void fence(Lease lease, String what) {
        reachable(lease.owner(), false);
        Row row = leases.getOrDefault(lease.projection(), Map.of()).get(lease.partition());
        if (row == null || !held(row, lease)) {
            refused.computeIfAbsent(lease.owner(), k -> new AtomicInteger()).incrementAndGet();
            throw new LeaseLostException(lease, what);
        }
    }

    @Override
    public synchronized void saveCheckpoint(Lease lease, long position) {
        fence(lease, "checkpoint " + position);
        delegate().saveCheckpoint(lease.projection(), lease.partition(), position);
    }

    @Override
    public synchronized void inTransaction(Lease lease, long position, TransactionWork work) {
        fence(lease, "transaction up to " + position);
        commit(lease.projection(), work, () -> delegate().saveCheckpoint(lease.projection(), lease.partition(), position));
    }

    @Override
    public synchronized void markStopped(Lease lease, String failure) {
        Row row = leases.getOrDefault(lease.projection(), Map.of()).get(lease.partition());
        if (row != null && held(row, lease)) {
            row.failure = failure;
        }
    }

    @Override
    public synchronized List<Lease> leases(String projection) {
        List<Lease> out = new ArrayList<>();
        new TreeMap<>(leases.getOrDefault(projection, Map.of())).forEach((partition, row) -> {
            Row shown = row;
            if (row.owner != null && !live(row)) {
                shown = new Row();
                shown.epoch = row.epoch;
                shown.failure = row.failure;
            }
            out.add(lease(projection, partition, shown));
        });
        return out;
    }

    // ---- checkpoints: a delete revokes ----

    @Override
    public synchronized void deleteCheckpoints(String projection) {
        delegate().deleteCheckpoints(projection);
        revoke(projection);
    }

    private void revoke(String projection) {
        leases.getOrDefault(projection, Map.of()).values().forEach(row -> {
            row.epoch++;
            row.owner = null;
            row.expiresAt = null;
            row.failure = null;
        });
    }

    // ---- TransactionalCheckpoints ----

    @Override
    public Class<?> transactionType() {
        return Tx.class;
    }

    @Override
    public synchronized void inTransaction(String projection, int partition, long position, TransactionWork work) {
        commit(projection, work, () -> delegate().saveCheckpoint(projection, partition, position));
    }

    @Override
    public synchronized void resetInTransaction(String projection, TransactionWork work) {
        commit(projection, work, () -> {
            delegate().deleteCheckpoints(projection);
            revoke(projection);
        });
    }

    private void commit(String projection, TransactionWork work, Runnable checkpoints) {
        Tx tx = new Tx();
        try {
            work.run(tx);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StoreException("transaction of " + projection + " rolled back", e);
        }
        if (tx.truncate) {
            table.clear();
        }
        tx.staged.forEach((k, v) -> table.merge(k, v, Integer::sum));
        checkpoints.run();
    }

    /** The engines do not own the shared store. */
    @Override
    public void close() {
    }
}
