package dev.eventsource.internal;

import dev.eventsource.AggregateRoot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@link Slot} per aggregate id that commands are running on or that is cached: the slot's lock
 * sequences the commands on that aggregate in this engine (they queue instead of racing to the
 * store), and the slot keeps the loaded instance between commands, so the next command appends
 * with the version it knows without reading the store first.
 *
 * <p>Bounded: when more than {@code maximumSize} slots exist, idle ones (no command holds them) are
 * evicted in the map's iteration order by a cursor that carries on where the last eviction stopped
 * (a clock without reference bits, not LRU; an eviction only costs a later load). Keeping the cursor
 * makes an eviction O(1) amortized; a fresh iteration each time would walk past every bin earlier
 * evictions emptied. With {@code maximumSize} 0 no instance outlives its command, and a slot lives
 * only while commands use it.
 *
 * <p>Thread-safe: {@link #acquire} and {@link #release} are lock-free apart from creating a slot; a
 * slot is only evicted when no command holds it (its holder count goes from 0 to "dead" by CAS, and
 * an acquirer that finds a dead slot makes a new one). One thread at a time evicts ({@code tryLock}).
 *
 * <pre>{@code
 * AggregateSlots.Slot<Order> slot = slots.acquire("o1");
 * try {
 *     slot.lock();
 *     // ... run the command on slot.aggregate, append ...
 * } finally {
 *     slot.unlock();
 *     slots.release(slot);
 * }
 * }</pre>
 *
 * @param <A> the aggregate type
 */
public final class AggregateSlots<A extends AggregateRoot> {

    private final ConcurrentHashMap<String, Slot<A>> slots;
    private final int maximumSize;
    private final ReentrantLock evicting = new ReentrantLock();
    /** Where the last eviction stopped; weakly consistent, so it survives concurrent changes. Guarded by {@link #evicting}. */
    private Iterator<String> cursor;

    /** Slots for at most {@code maximumSize} cached aggregates; {@code 0} caches none. */
    public AggregateSlots(int maximumSize) {
        this.maximumSize = maximumSize;
        this.slots = new ConcurrentHashMap<>(maximumSize == 0 ? 16 : Math.min(maximumSize, 1 << 12));
    }

    /** The slot of {@code id}, held until {@link #release}; made if there is none. */
    public Slot<A> acquire(String id) {
        Slot<A> slot = slots.get(id);
        if (slot != null && slot.retain()) {
            return slot;
        }
        return slots.compute(id, (key, old) -> old != null && old.retain() ? old : new Slot<>());
    }

    /** Gives back a slot {@link #acquire} returned; evicts idle slots when there are too many. */
    public void release(Slot<A> slot) {
        slot.release();
        if (maximumSize == 0) {
            evictIdle(slot);
        } else if (slots.size() > maximumSize && evicting.tryLock()) {
            try {
                evictKeeping(slot);
            } finally {
                evicting.unlock();
            }
        }
    }

    /** Without a cache: removes the slot as soon as no command holds it. */
    private void evictIdle(Slot<A> slot) {
        if (slot.kill()) {
            slots.values().remove(slot);
        }
    }

    /** Evicts idle slots other than {@code keep} from the cursor on until the bound holds again. */
    private void evictKeeping(Slot<A> keep) {
        Iterator<String> ids = cursor;
        boolean restarted = false;
        while (slots.size() > maximumSize) {
            if (ids == null || !ids.hasNext()) {
                if (restarted) {
                    break;                  // a whole pass found no idle slot: the next release goes on
                }
                ids = slots.keySet().iterator();
                restarted = true;
                continue;
            }
            String id = ids.next();
            Slot<A> slot = slots.get(id);
            if (slot != null && slot != keep && slot.kill()) {
                slots.remove(id, slot);
            }
        }
        cursor = ids;
    }

    /** Whether no instance is kept between commands. */
    boolean cachesNothing() {
        return maximumSize == 0;
    }

    /** Number of slots. */
    public int size() {
        return slots.size();
    }

    /**
     * One aggregate id's commands and state. Everything but the holder count is guarded by the
     * slot's own lock ({@link #lock()}), a fair one: a command that waits for it is served in arrival
     * order, which is what lets the first command of a batch wait for those queued behind it (see
     * {@code CommandPath}). The slot is its own lock (an {@link AbstractQueuedSynchronizer}) and makes
     * its batch list only when a second command joins, so a slot costs one object until there is
     * contention: one is made for every new aggregate.
     *
     * @param <A> the aggregate type
     */
    public static final class Slot<A extends AggregateRoot> extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;
        private static final VarHandle HOLDERS;
        private static final VarHandle ARRIVALS;

        static {
            try {
                HOLDERS = MethodHandles.lookup().findVarHandle(Slot.class, "holders", int.class);
                ARRIVALS = MethodHandles.lookup().findVarHandle(Slot.class, "arrivals", CommandPath.Member.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Commands holding the slot; {@code -1} once evicted (then it is never used again). */
        @SuppressWarnings("unused")
        private volatile int holders = 1;
        /**
         * Commands waiting to be run by whoever holds the lock, newest first (a Treiber stack linked
         * through {@code Member.next}); used only when queued commands are combined on one thread.
         */
        @SuppressWarnings("unused")
        private transient volatile CommandPath.Member<A> arrivals;

        /** The instance, as of {@link #base} plus the events of the open batch; {@code null} when not loaded. */
        transient A aggregate;
        /** The stream version the instance was loaded at or last appended up to. */
        long base;
        /**
         * Whether the instance was read from the store for the open batch (rather than kept from an
         * earlier batch or assumed new): only then does a conflict count as a retry, and only then
         * are rejections answered without reading the store first.
         */
        boolean confirmed;
        /** Whether the instance is a new one assumed to have no events yet, not read from the store. */
        boolean assumedNew;
        /** Whether nothing of this aggregate was loaded through this slot yet. */
        boolean fresh = true;
        /** Set when the instance could not be restored after a failed command: the open batch retries. */
        boolean doomed;
        /** The open batch's first command (it flushes the batch), or {@code null}; the others follow in {@link #more}. */
        private transient CommandPath.Member<A> first;
        private transient ArrayList<CommandPath.Member<A>> more;

        Slot() {
        }

        /** Waits for the slot's lock, after every command that waits already. */
        void lock() {
            acquire(1);
        }

        void unlock() {
            release(1);
        }

        /** Whether commands wait for the lock. */
        boolean queued() {
            return hasQueuedThreads();
        }

        /** Takes the lock if it is free, without waiting. */
        boolean tryLock() {
            return tryAcquire(1);
        }

        /** Adds a command for the lock holder to run. */
        void arrive(CommandPath.Member<A> m) {
            for (;;) {
                CommandPath.Member<A> top = arrivals;
                m.next = top;
                if (ARRIVALS.compareAndSet(this, top, m)) {
                    return;
                }
            }
        }

        /** Whether commands arrived that no holder has taken yet. */
        boolean hasArrivals() {
            return arrivals != null;
        }

        /** Takes every arrived command, oldest first, linked through {@code next}; {@code null} if none. */
        @SuppressWarnings("unchecked")
        CommandPath.Member<A> takeArrivals() {
            CommandPath.Member<A> newest = (CommandPath.Member<A>) ARRIVALS.getAndSet(this, null);
            CommandPath.Member<A> oldest = null;
            while (newest != null) {
                CommandPath.Member<A> next = newest.next;
                newest.next = oldest;
                oldest = newest;
                newest = next;
            }
            return oldest;
        }

        @Override
        protected boolean tryAcquire(int ignored) {
            return getState() == 0 && !hasQueuedPredecessors() && compareAndSetState(0, 1);
        }

        @Override
        protected boolean tryRelease(int ignored) {
            setState(0);
            return true;
        }

        /** Commands in the open batch. */
        int batchSize() {
            return first == null ? 0 : more == null ? 1 : 1 + more.size();
        }

        /** The {@code i}th command of the open batch. */
        CommandPath.Member<A> member(int i) {
            return i == 0 ? first : more.get(i - 1);
        }

        void join(CommandPath.Member<A> m) {
            if (first == null) {
                first = m;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                }
                more.add(m);
            }
        }

        /** Closes the open batch. */
        void clearBatch() {
            first = null;
            if (more != null) {
                more.clear();
            }
        }

        private boolean retain() {
            for (int n = holders; n >= 0; n = holders) {
                if (HOLDERS.compareAndSet(this, n, n + 1)) {
                    return true;
                }
            }
            return false;
        }

        private void release() {
            HOLDERS.getAndAdd(this, -1);
        }

        /** Marks an idle slot evicted; {@code false} if a command holds it. */
        private boolean kill() {
            return HOLDERS.compareAndSet(this, 0, -1);
        }
    }
}
