package dev.eventsource.internal;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.CommandContext;
import dev.eventsource.CommandResult;
import dev.eventsource.EngineObserver;
import dev.eventsource.EventDecodingException;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Limits;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.UnknownEventException;
import dev.eventsource.store.AggregateLoad;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.CommandIds;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.DuplicateCommandException;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoredEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command path: per-aggregate sequencing, batches, speculative appends, retries; and
 * {@link #load} for reads.
 *
 * <p><b>Sequencing.</b> Commands on one aggregate in this engine take turns on its slot's fair lock
 * ({@link AggregateSlots}), each on its own thread, on the one cached instance: they queue instead of
 * racing each other to the store, so no caller sees a conflict caused by another command of this
 * process. Commands on different aggregates run in parallel.
 *
 * <p><b>Batches.</b> A command that finds no open batch on its aggregate runs, then lets the commands
 * queued behind it run (it takes the lock again, behind them), and appends all their events in one
 * append: one round trip and one flush for a burst. Each command's events are serialized on its own
 * thread right after it ran; a command that is rejected drops only its own events (an instance it
 * changed before failing is rebuilt from the store and the batch's other events); each caller gets
 * its own result or exception. At most {@code batchSize} commands share an append.
 *
 * <p><b>No read before the append.</b> A cached instance appends with the version it knows; only a
 * conflict makes it read (it is reloaded and the commands run again). A command that is rejected or
 * records nothing is answered only once the state it ran on is confirmed: by the batch's append, or,
 * when nothing was appended, by reading what the store holds after that version (any newer event:
 * the batch runs again on it), so no caller gets a rejection that a state it did not see caused.
 * A command on an id the engine has not loaded assumes a new stream while such guesses are mostly
 * right ({@link AggregateType#assumeNew}), and reads first otherwise.
 *
 * <p><b>Retries.</b> A conflict with another writer (another process) runs the command again, up to
 * {@code maxRetries} times, after a pause of a random length up to {@code backoff} doubling per
 * retry and capped at {@code maxBackoff} (full jitter); a retry a batch-mate caused (its duplicate,
 * its store error) is not counted.
 *
 * <p>Threading: called concurrently from any number of command threads; all state is per call
 * except the slots (guarded by their locks) and the snapshot writer (its own thread).
 *
 * <pre>{@code
 * CommandPath path = new CommandPath(store, access, 3, Duration.ofMillis(1), Duration.ofMillis(50), 128, false,
 *         Limits.defaults(), Clock.systemUTC(), snapshots, projections, EngineObserver.NONE);
 * Order order = path.execute(orderType, "o1", new CreateOrder("o1", "c1", 9.5), context, metadata, false).aggregate();
 * }</pre>
 */
public final class CommandPath {

    private static final Logger LOG = LoggerFactory.getLogger(CommandPath.class);

    /** Retries a batch-mate caused are not counted, but this many in a row are: a bound against livelock. */
    private static final int MAX_FREE_RETRIES = 1_000;

    private final EventStore store;
    private final AggregateAccess access;
    private final int maxRetries;
    private final long backoffNanos;
    private final long maxBackoffNanos;
    private final int batchSize;
    private final boolean combine;
    private final Limits limits;
    private final Clock clock;
    private final SnapshotWriter snapshots;
    private final CommitHooks hooks;
    private final EngineObserver observer;

    /**
     * @param maxRetries how often a command is run again after a version conflict
     * @param backoff the longest pause before the first retry (doubling per retry)
     * @param maxBackoff the cap of the pause
     * @param batchSize how many commands on one aggregate may share an append (1: each appends alone)
     * @param combine whether the lock holder runs the queued commands itself instead of each on its own thread
     * @param limits what recorded events must fit in to be appended
     * @param clock the time events and snapshots are stamped with (and the millisecond of event ids)
     * @param observer told of counted retries and of each append
     */
    public CommandPath(EventStore store, AggregateAccess access, int maxRetries, Duration backoff, Duration maxBackoff,
            int batchSize, boolean combine, Limits limits, Clock clock, SnapshotWriter snapshots, CommitHooks hooks,
            EngineObserver observer) {
        this.store = store;
        this.access = access;
        this.maxRetries = maxRetries;
        this.backoffNanos = backoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.batchSize = batchSize;
        this.combine = combine;
        this.limits = limits;
        this.clock = clock;
        this.snapshots = snapshots;
        this.hooks = hooks;
        this.observer = observer;
    }

    /** What became of one attempt of a command. */
    private enum Outcome {
        /** Not decided yet: the batch has not been flushed. */
        PENDING,
        /** Answered: a result, or the command's own exception. */
        DONE,
        /** The state was stale (a conflict): run again, counted against {@code maxRetries}. */
        CONFLICT,
        /** Run again because of a batch-mate (its duplicate, its failure, the same command id); not counted. */
        AGAIN,
        /** The command id was stored before: the result is the stored aggregate. */
        DUPLICATE,
        /** Failed for good (a store error, a load that failed). */
        FAILED
    }

    /**
     * One command call: what to run, and what its current attempt did. The attempt's fields are
     * written under the slot's lock; the outcome is published last ({@code volatile}), by the thread
     * that flushed the batch, which then wakes the command's thread.
     */
    static final class Member<A extends AggregateRoot> {
        final Command<A> command;
        final CommandContext context;
        final Map<String, String> metadata;
        final boolean wantEvents;
        final Thread thread = Thread.currentThread();
        /** The next arrived command (see {@link AggregateSlots.Slot#arrive}); {@code null} outside that stack. */
        Member<A> next;
        /** The instance the last attempt ran on, for {@link Command#rollback}; {@code null} if it never ran. */
        A ranOn;
        /** The recorded events and their rows, or {@code null} when the attempt recorded none. */
        List<Object> events;
        List<NewEvent> rows;
        /** What validate or perform threw (or serializing the events), or {@code null}. */
        Throwable rejection;
        /** Whether this attempt waits in the batch for a batch-mate with the same command id, without running. */
        boolean deferred;
        /** Whether an attempt already ran and had to run again: then the aggregate is read, never assumed new. */
        boolean ranBefore;
        CommandResult<A> result;
        Throwable failure;
        ConcurrencyException conflict;
        volatile Outcome outcome = Outcome.PENDING;

        Member(Command<A> command, CommandContext context, Map<String, String> metadata, boolean wantEvents) {
            this.command = command;
            this.context = context;
            this.metadata = metadata;
            this.wantEvents = wantEvents;
        }

        void finish(Outcome how) {
            outcome = how;
            if (thread != Thread.currentThread()) {
                LockSupport.unpark(thread);
            }
        }

        void await() {
            while (outcome == Outcome.PENDING) {
                LockSupport.park(this);
            }
        }

        void reset() {
            ranBefore = true;
            deferred = false;
            events = null;
            rows = null;
            rejection = null;
            result = null;
            failure = null;
            conflict = null;
            outcome = Outcome.PENDING;
        }
    }

    /**
     * Runs a command; see {@code Engine.execute}. When it finally fails after it ran at least once,
     * calls its {@link Command#rollback} once, with the instance the last attempt ran on.
     *
     * <p>Duplicates: when the store remembers command ids ({@link CommandIds}) an append by a command
     * id the stream holds already is refused by the store, and the result is a duplicate with the
     * stored aggregate. A command with a given id that is rejected or records nothing is looked up
     * too, because its own earlier effect may be why (a resent "pay" finds the order paid).
     *
     * @param metadata what every event is stored with, built once for all attempts
     * @param wantEvents whether the result lists the appended events (built only then)
     */
    public <A extends AggregateRoot> CommandResult<A> execute(AggregateType<A> type, String id, Command<A> command,
            CommandContext context, Map<String, String> metadata, boolean wantEvents) {
        Member<A> m = new Member<>(command, context, metadata, wantEvents);
        int conflicts = 0;
        int again = 0;
        while (true) {
            AggregateSlots.Slot<A> slot = type.slots.acquire(id);
            try {
                if (combine) {
                    runCombined(type, id, slot, m);
                } else {
                    runInSlot(type, id, slot, m);
                    m.await();
                }
            } finally {
                type.slots.release(slot);
            }
            switch (m.outcome) {
                case DONE:
                    return answer(type, id, m);
                case DUPLICATE:
                    return duplicate(type, id);
                case FAILED:
                    throw failed(m, m.failure);
                case AGAIN:
                    if (++again <= MAX_FREE_RETRIES) {
                        break;
                    }
                    // fall through: counted from here on
                case CONFLICT:
                default:
                    if (conflicts++ == maxRetries) {
                        throw failed(m, gaveUp(type, id, m));
                    }
                    if (m.conflict != null) {
                        observer.commandRetried(type.streamType, id, conflicts, m.conflict);
                    }
                    pause(conflicts);
                    break;
            }
            m.reset();
        }
    }

    /** The result of an answered command: its own, or a duplicate's when its rejection or no-op may come from its earlier run. */
    private <A extends AggregateRoot> CommandResult<A> answer(AggregateType<A> type, String id, Member<A> m) {
        Throwable rejection = m.rejection;
        boolean nothing = rejection == null && m.rows == null;
        if ((rejection instanceof RuntimeException || nothing) && storedBefore(type, id, m.context)) {
            return duplicate(type, id);
        }
        if (rejection != null) {
            throw failed(m, rejection);
        }
        return m.result;
    }

    /** Calls the command's rollback for a final failure and returns the exception to throw. */
    private static <A extends AggregateRoot> RuntimeException failed(Member<A> m, Throwable cause) {
        if (cause instanceof Error error) {
            throw error;
        }
        RuntimeException e = (RuntimeException) cause;
        if (m.ranOn != null) {
            rollback(m.command, m.ranOn, e);
        }
        return e;
    }

    private <A extends AggregateRoot> ConcurrencyException gaveUp(AggregateType<A> type, String id, Member<A> m) {
        ConcurrencyException last = m.conflict;
        ConcurrencyException gaveUp = last == null
                ? new ConcurrencyException(type.streamType, id, -1, -1, "gave up after " + (maxRetries + 1)
                        + " attempts on a state that kept changing; command " + m.command.getClass().getName())
                : new ConcurrencyException(last.streamType(), last.streamId(), last.expectedVersion(), last.actualVersion(),
                        "gave up after " + (maxRetries + 1) + " attempts; command " + m.command.getClass().getName());
        if (last != null) {
            gaveUp.initCause(last);
        }
        return gaveUp;
    }

    /** Waits a random time up to the backoff of retry {@code retry} (1 = the first). */
    private void pause(int retry) {
        if (backoffNanos <= 0) {
            return;
        }
        long cap = retry >= 30 ? maxBackoffNanos : Math.min(maxBackoffNanos, backoffNanos << (retry - 1));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(cap + 1));
    }

    /**
     * Runs {@code m} on its slot: joins the open batch, or opens one and flushes it. Returns when
     * the member's own part is done; its outcome may still be pending (another member flushes).
     */
    private <A extends AggregateRoot> void runInSlot(AggregateType<A> type, String id, AggregateSlots.Slot<A> slot,
            Member<A> m) {
        slot.lock();
        try {
            while (slot.batchSize() >= batchSize) {
                // The batch is full: queue again, behind the command that will flush it.
                slot.unlock();
                Thread.yield();
                slot.lock();
            }
            boolean flusher = slot.batchSize() == 0;
            if (admit(type, id, slot, m) && flusher) {
                if (batchSize > 1 && slot.queued()) {
                    // Behind every command queued now (the lock is fair): they join this batch.
                    slot.unlock();
                    slot.lock();
                }
                flush(type, id, slot);
            }
        } finally {
            slot.unlock();
        }
    }

    /**
     * Runs {@code m} with the commands queued on its slot on one thread (flat combining): it arrives
     * on the slot; whoever takes the lock runs every arrived command in batches, appends each batch
     * and answers its members; a thread whose command someone else runs parks until answered. After
     * giving the lock back a thread looks for commands that arrived meanwhile, so none is left
     * waiting: a command that arrives after that look finds the lock free.
     */
    private <A extends AggregateRoot> void runCombined(AggregateType<A> type, String id, AggregateSlots.Slot<A> slot,
            Member<A> m) {
        slot.arrive(m);
        for (;;) {
            if (slot.tryLock()) {
                try {
                    serve(type, id, slot);
                } finally {
                    slot.unlock();
                }
                if (slot.hasArrivals()) {
                    continue;
                }
            }
            if (m.outcome != Outcome.PENDING) {
                return;
            }
            // The holder runs it: it takes arrivals until there are none, and looks again after unlocking.
            LockSupport.park(this);
        }
    }

    /** Runs every arrived command, at most {@code batchSize} per append, answering each. */
    private <A extends AggregateRoot> void serve(AggregateType<A> type, String id, AggregateSlots.Slot<A> slot) {
        Member<A> m = slot.takeArrivals();
        while (m != null) {
            while (m != null && slot.batchSize() < batchSize) {
                Member<A> next = m.next;
                m.next = null;
                admit(type, id, slot, m);
                m = next;
            }
            if (slot.batchSize() > 0) {
                flush(type, id, slot);
            }
            if (m == null) {
                m = slot.takeArrivals();
            }
        }
    }

    /**
     * Puts {@code m} into the open batch: runs it and joins it, or, when a batch-mate has its command
     * id, joins it without running (it runs once the other one is stored, and is then a duplicate).
     * Answers it at once instead when the batch is doomed or its aggregate cannot be loaded. Returns
     * whether it ran and joined.
     */
    private <A extends AggregateRoot> boolean admit(AggregateType<A> type, String id, AggregateSlots.Slot<A> slot,
            Member<A> m) {
        if (slot.doomed) {
            m.finish(Outcome.CONFLICT);
            return false;
        }
        if (slot.batchSize() > 0 && sameCommandQueued(slot, m)) {
            m.deferred = true;
            slot.join(m);
            return false;
        }
        if (!run(type, id, slot, m)) {
            return false;
        }
        slot.join(m);
        return true;
    }

    /** Whether a member of the open batch has {@code m}'s given command id (never for a generated one). */
    private static <A extends AggregateRoot> boolean sameCommandQueued(AggregateSlots.Slot<A> slot, Member<A> m) {
        String commandId = m.context.commandId();
        if (commandId == null) {
            return false;
        }
        for (int i = 0, n = slot.batchSize(); i < n; i++) {
            if (commandId.equals(slot.member(i).context.commandId())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the command on the slot's instance (loading it first if needed) and serializes its events.
     * Returns {@code false}, with the member failed, when the instance cannot be loaded.
     */
    private <A extends AggregateRoot> boolean run(AggregateType<A> type, String id, AggregateSlots.Slot<A> slot,
            Member<A> m) {
        A aggregate = slot.aggregate;
        if (aggregate == null) {
            try {
                aggregate = instance(type, id, slot, !m.ranBefore);
            } catch (RuntimeException | Error e) {
                m.failure = e;
                m.finish(Outcome.FAILED);
                return false;
            }
        }
        m.ranOn = aggregate;
        long before = aggregate.version();
        // From here on a failure leaves the instance changed; it is rebuilt below.
        access.beginCommand(aggregate, m.metadata, clock);
        try {
            m.command.validate(aggregate, m.context);
            m.command.perform(aggregate, m.context);
            List<Object> recorded = access.uncommitted(aggregate);
            if (!recorded.isEmpty()) {
                String aggregateId = aggregate.id();
                if (aggregateId != null && !aggregateId.equals(id)) {
                    throw new IllegalStateException("command on " + type.streamType + "/" + id + " recorded events that"
                            + " make the aggregate's id() '" + aggregateId + "'; execute it with the same id the events carry");
                }
                m.rows = serialize(type, aggregate, id, recorded, m.metadata);
                m.events = List.copyOf(recorded);
            }
        } catch (RuntimeException | Error e) {
            m.rejection = e;
            m.rows = null;
            m.events = null;
        } finally {
            access.committed(aggregate);
        }
        if (m.rejection != null && aggregate.version() != before) {
            restore(type, id, slot);
        }
        return true;
    }

    /**
     * The instance for a slot that has none: assumed new (no read) for an id this engine has not
     * loaded, on a command's first attempt, with the cache on and while such guesses hold; else loaded.
     */
    private <A extends AggregateRoot> A instance(AggregateType<A> type, String id, AggregateSlots.Slot<A> slot,
            boolean mayGuess) {
        A aggregate;
        if (mayGuess && slot.fresh && !type.slots.cachesNothing() && type.assumeNew()) {
            aggregate = newInstance(type, id);
            access.loaded(aggregate, 0);
            slot.assumedNew = true;
            slot.confirmed = false;
        } else {
            aggregate = loadFresh(type, id);
            if (slot.fresh) {
                type.sawNewStream(aggregate.version() == 0);
            }
            slot.assumedNew = false;
            slot.confirmed = true;
        }
        slot.fresh = false;
        slot.base = aggregate.version();
        slot.aggregate = aggregate;
        return aggregate;
    }

    /**
     * After a command changed the instance and failed: the instance as stored (which must still be at
     * the slot's base) plus the open batch's events; if the store moved on, the batch is doomed.
     */
    private <A extends AggregateRoot> void restore(AggregateType<A> type, String id, AggregateSlots.Slot<A> slot) {
        A fresh;
        try {
            fresh = loadFresh(type, id);
        } catch (RuntimeException | Error e) {
            doom(slot);
            return;
        }
        guessed(type, slot, fresh.version() == 0);
        if (fresh.version() != slot.base) {
            doom(slot);
            return;
        }
        long version = slot.base;
        for (int k = 0, n = slot.batchSize(); k < n; k++) {
            Member<A> other = slot.member(k);
            for (int i = 0; other.events != null && i < other.events.size(); i++) {
                Object event = other.events.get(i);
                NewEvent row = other.rows.get(i);
                version++;
                EventEnvelope<?> envelope = type.needsEnvelope ? new EventEnvelope<>(event, row.eventType(), type.streamType,
                        id, version, 0, row.eventId(), row.timestamp(), row.metadata()) : null;
                type.descriptor.apply(fresh, event, envelope);
            }
        }
        access.loaded(fresh, version);
        slot.aggregate = fresh;
        slot.confirmed = true;
    }

    private static void doom(AggregateSlots.Slot<?> slot) {
        slot.doomed = true;
        slot.aggregate = null;
    }

    /**
     * Appends the open batch's events in one append and answers every member; with nothing to
     * append, first confirms the state the members ran on.
     */
    private <A extends AggregateRoot> void flush(AggregateType<A> type, String id, AggregateSlots.Slot<A> slot) {
        boolean caughtUp = false;
        try {
            if (slot.doomed) {
                finishAll(slot, slot.confirmed ? Outcome.CONFLICT : Outcome.AGAIN, null);
                return;
            }
            int rows = 0;
            int appending = 0;
            Member<A> only = null;
            for (int b = 0, nb = slot.batchSize(); b < nb; b++) {
                Member<A> m = slot.member(b);
                if (m.rows != null) {
                    rows += m.rows.size();
                    appending++;
                    only = m;
                }
            }
            if (rows == 0) {
                caughtUp = answerUnappended(type, id, slot);
            } else {
                append(type, id, slot, rows, appending, appending == 1 ? only : null);
            }
        } finally {
            slot.clearBatch();
            slot.doomed = false;
            slot.confirmed = caughtUp;           // the next batch runs on a kept instance, unconfirmed
            if (type.slots.cachesNothing()) {
                slot.aggregate = null;
            }
        }
    }

    /**
     * Nothing to append: the members' answers stand once the state they ran on is confirmed, by
     * reading the events after it. Returns whether it read newer ones (the members run again on them).
     */
    private <A extends AggregateRoot> boolean answerUnappended(AggregateType<A> type, String id,
            AggregateSlots.Slot<A> slot) {
        A aggregate = slot.aggregate;
        if (!slot.confirmed) {
            long now;
            try {
                now = replay(type, aggregate, id, slot.base);
            } catch (RuntimeException | Error e) {
                slot.aggregate = null;
                for (int b = 0, nb = slot.batchSize(); b < nb; b++) {
                    Member<A> m = slot.member(b);
                    m.failure = e;
                    m.finish(Outcome.FAILED);
                }
                return false;
            }
            guessed(type, slot, now == 0);
            if (now != slot.base) {
                // Newer events: the answers came from a stale state. Run again on the caught-up one.
                access.loaded(aggregate, now);
                slot.base = now;
                finishAll(slot, Outcome.AGAIN, null);
                return true;
            }
        }
        for (int b = 0, nb = slot.batchSize(); b < nb; b++) {
            Member<A> m = slot.member(b);
            if (m.deferred) {
                m.finish(Outcome.AGAIN);         // waited for a batch-mate with its command id
            } else {
                answerConfirmed(aggregate, m);
            }
        }
        return false;
    }

    /** Appends the batch's rows with the slot's version, then answers every member. */
    private <A extends AggregateRoot> void append(AggregateType<A> type, String id, AggregateSlots.Slot<A> slot, int rows,
            int appending, Member<A> only) {
        A aggregate = slot.aggregate;
        long expected = slot.base;
        List<Object> events;
        List<NewEvent> appended;
        if (only != null) {
            events = only.events;
            appended = only.rows;
        } else {
            events = new ArrayList<>(rows);
            appended = new ArrayList<>(rows);
            for (int b = 0, nb = slot.batchSize(); b < nb; b++) {
                Member<A> m = slot.member(b);
                if (m.rows != null) {
                    events.addAll(m.events);
                    appended.addAll(m.rows);
                }
            }
        }
        AppendResult result = null;
        try {
            Lock order = hooks.orderLock(id);
            if (order == null) {
                result = store.append(type.streamType, id, expected, appended);
                hooks.committed(type.streamType, id, expected + 1, events, appended, result);
            } else {
                order.lock();
                try {
                    result = store.append(type.streamType, id, expected, appended);
                    hooks.committed(type.streamType, id, expected + 1, events, appended, result);
                } finally {
                    order.unlock();
                }
            }
        } catch (ConcurrencyException e) {
            guessed(type, slot, false);
            slot.aggregate = null;
            // Counted only when the state was read for this batch: a kept or assumed one was a guess.
            finishAll(slot, slot.confirmed ? Outcome.CONFLICT : Outcome.AGAIN, e);
            return;
        } catch (DuplicateCommandException e) {
            slot.aggregate = null;
            for (int b = 0, nb = slot.batchSize(); b < nb; b++) {
                Member<A> m = slot.member(b);
                m.finish(m.rows != null && e.commandId().equals(m.metadata.get(CommandIds.METADATA_KEY))
                        ? Outcome.DUPLICATE : Outcome.AGAIN);
            }
            return;
        } catch (RuntimeException | Error e) {
            // A store error (the batch may or may not be stored), or an inline projection's after the append.
            slot.aggregate = null;
            boolean stored = result != null;
            for (int b = 0, nb = slot.batchSize(); b < nb; b++) {
                Member<A> m = slot.member(b);
                if (m.rows != null) {
                    m.failure = e;
                    m.finish(Outcome.FAILED);
                } else if (stored && !m.deferred) {
                    answerConfirmed(aggregate, m);        // its state was confirmed by the append
                } else {
                    m.finish(Outcome.AGAIN);
                }
            }
            return;
        }
        guessed(type, slot, true);
        observer.appended(type.streamType, id, appending, rows);
        long version = result.version();
        slot.base = version;
        if (type.snapshotEvery > 0 && expected / type.snapshotEvery != version / type.snapshotEvery) {
            snapshot(type, aggregate, id, version);
        }
        int offset = 0;
        for (int b = 0, nb = slot.batchSize(); b < nb; b++) {
            Member<A> m = slot.member(b);
            if (m.rows != null) {
                List<EventEnvelope<?>> envelopes = m.wantEvents
                        ? envelopes(type, id, expected + offset, m.events, m.rows, result.firstPosition() + offset)
                        : List.of();
                offset += m.rows.size();
                m.result = new CommandResult<>(aggregate, envelopes, false);
                m.finish(Outcome.DONE);
            } else if (m.deferred) {
                m.finish(Outcome.AGAIN);
            } else {
                answerConfirmed(aggregate, m);
            }
        }
    }

    /** Answers a member that appended nothing, on a confirmed state: its rejection or an empty result. */
    private static <A extends AggregateRoot> void answerConfirmed(A aggregate, Member<A> m) {
        if (m.rejection == null) {
            m.result = new CommandResult<>(aggregate, List.of(), false);
        }
        m.finish(Outcome.DONE);
    }

    /** Records how an assumed-new stream turned out, once per slot. */
    private static void guessed(AggregateType<?> type, AggregateSlots.Slot<?> slot, boolean wasNew) {
        if (slot.assumedNew) {
            type.sawNewStream(wasNew);
            slot.assumedNew = false;
        }
    }

    private static <A extends AggregateRoot> void finishAll(AggregateSlots.Slot<A> slot, Outcome how,
            ConcurrencyException conflict) {
        for (int b = 0, nb = slot.batchSize(); b < nb; b++) {
            Member<A> m = slot.member(b);
            m.conflict = conflict;
            m.finish(m.deferred ? Outcome.AGAIN : how);
        }
    }

    /** Whether the command's given id produced events on the stream before (never for a generated id). */
    private boolean storedBefore(AggregateType<?> type, String id, CommandContext context) {
        return context.commandId() != null && store instanceof CommandIds ids
                && ids.commandVersion(type.streamType, id, context.commandId()) > 0;
    }

    /** The result of a resent command: the aggregate as stored, nothing appended. */
    private <A extends AggregateRoot> CommandResult<A> duplicate(AggregateType<A> type, String id) {
        return new CommandResult<>(loadFresh(type, id), List.of(), true);
    }

    /** {@link Command#rollback}; what it throws is kept as suppressed by {@code cause}, which the caller gets. */
    private static <A extends AggregateRoot> void rollback(Command<A> command, A aggregate, RuntimeException cause) {
        try {
            command.rollback(aggregate, cause);
        } catch (RuntimeException | Error e) {
            cause.addSuppressed(e);
        }
    }

    private static List<EventEnvelope<?>> envelopes(AggregateType<?> type, String id, long expected, List<Object> events,
            List<NewEvent> batch, long firstPosition) {
        List<EventEnvelope<?>> envelopes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = batch.get(i);
            envelopes.add(new EventEnvelope<>(events.get(i), e.eventType(), type.streamType, id, expected + 1 + i,
                    firstPosition + i, e.eventId(), e.timestamp(), e.metadata()));
        }
        return envelopes;
    }

    private <A extends AggregateRoot> List<NewEvent> serialize(AggregateType<A> type, A aggregate, String id,
            List<Object> events, Map<String, String> metadata) {
        AggregateDescriptor<A> d = type.descriptor;
        int n = events.size();
        Instant now = null;
        NewEvent[] out = new NewEvent[n];
        for (int i = 0; i < n; i++) {
            Object event = events.get(i);
            EventCodec<?> codec = d.codecOf(event);
            if (codec == null) {
                throw new UnknownEventException(type.streamType, event.getClass().getName());
            }
            EventEnvelope<?> recorded = access.recordedEnvelope(aggregate, i);
            UUID eventId;
            Instant at;
            if (recorded != null) {
                eventId = recorded.eventId();
                at = recorded.timestamp();
            } else {
                // One clock read per command: the events' time, and the millisecond their ids carry.
                at = now == null ? (now = clock.instant()) : now;
                eventId = Uuid7.next(at.toEpochMilli());
            }
            byte[] payload;
            try {
                payload = Json.encode(codec, event, limits);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("nothing appended to " + type.streamType + "/" + Text.abbreviate(id)
                        + ": event " + (i + 1) + " of " + n + " cannot be stored: " + e.getMessage(), e);
            }
            out[i] = new NewEvent(eventId, codec.name(), codec.version(), at, payload, metadata);
        }
        return n == 1 ? List.of(out[0]) : List.of(out);
    }

    /** Serializes on this thread (the instance is reused next command), writes in the background. */
    private <A extends AggregateRoot> void snapshot(AggregateType<A> type, A aggregate, String id, long version) {
        try {
            byte[] state = Json.encodeSnapshot(type.snapshotCodec, aggregate, type.streamType, limits);
            snapshots.submit(new Snapshot(type.streamType, id, version, type.snapshotCodec.fingerprint(), state, clock.instant()));
        } catch (RuntimeException e) {
            if (type.snapshotProblemLogged.compareAndSet(false, true)) {
                LOG.warn("cannot write a snapshot of {}/{} at version {}; {} loads will replay events (logged once per"
                        + " aggregate type)", type.streamType, id, version, type.streamType, e);
            }
        }
    }

    /** The aggregate as stored now, or empty if its stream has no events. */
    public <A extends AggregateRoot> Optional<A> load(AggregateType<A> type, String id) {
        A aggregate = loadFresh(type, id);
        return aggregate.version() == 0 ? Optional.empty() : Optional.of(aggregate);
    }

    /**
     * Rebuilds the aggregate from the store: with a snapshot codec, snapshot and later events in one
     * {@link EventStore#loadAggregate} call (one round trip on PostgreSQL); a snapshot that does not
     * fit is refused there and the store replays the stream from the start.
     */
    private <A extends AggregateRoot> A loadFresh(AggregateType<A> type, String id) {
        Replay<A> replay = new Replay<>(type, newInstance(type, id), id, 0);
        long version = type.snapshotCodec == null
                ? store.readStream(type.streamType, id, 0, replay)
                : store.loadAggregate(type.streamType, id, replay);
        access.loaded(replay.aggregate, version);
        return replay.aggregate;
    }

    private <A extends AggregateRoot> A newInstance(AggregateType<A> type, String id) {
        A aggregate = type.descriptor.newInstance();
        access.attach(aggregate, type.descriptor, id);
        return aggregate;
    }

    private static void logSnapshotProblemOnce(AggregateType<?> type, Snapshot s, String why, Exception e) {
        if (type.snapshotProblemLogged.compareAndSet(false, true)) {
            LOG.warn("ignoring snapshot of {}/{} at version {}: {}; replaying its events instead (logged once per"
                    + " aggregate type)", s.streamType(), s.streamId(), s.version(), why, e);
        }
    }

    /** Applies the stream's events after {@code afterVersion}; returns the last version applied. */
    private <A extends AggregateRoot> long replay(AggregateType<A> type, A aggregate, String id, long afterVersion) {
        return store.readStream(type.streamType, id, afterVersion, new Replay<>(type, aggregate, id, afterVersion));
    }

    /**
     * Applies stored events to one aggregate, checking that versions follow each other; as a
     * {@link AggregateLoad}, restores a fitting snapshot first or refuses it (logged once per type).
     */
    private final class Replay<A extends AggregateRoot> implements AggregateLoad {
        private final AggregateType<A> type;
        private final String id;
        private A aggregate;
        private long version;

        Replay(AggregateType<A> type, A aggregate, String id, long version) {
            this.type = type;
            this.aggregate = aggregate;
            this.id = id;
            this.version = version;
        }

        @Override
        public boolean snapshot(Snapshot s) {
            if (type.snapshotCodec == null) {
                return false;
            }
            if (s.fingerprint() != type.snapshotCodec.fingerprint()) {
                logSnapshotProblemOnce(type, s, "it was written for another shape of the class (fingerprint "
                        + Long.toHexString(s.fingerprint()) + ", now " + Long.toHexString(type.snapshotCodec.fingerprint())
                        + ")", null);
                return false;
            }
            try {
                Json.decodeSnapshot(type.snapshotCodec, s.state(), aggregate);
                version = s.version();
                return true;
            } catch (Exception e) {
                logSnapshotProblemOnce(type, s, "it cannot be read: " + e.getMessage(), e);
                aggregate = newInstance(type, id);   // the decoder may have changed it half-way
                return false;
            }
        }

        @Override
        public void accept(StoredEvent e) {
            if (e.version() != version + 1) {
                throw new EventDecodingException(e.streamType(), e.streamId(), e.version(), e.globalPosition(),
                        e.eventType(), "expected version " + (version + 1) + " of the stream", null);
            }
            AggregateDescriptor<A> d = type.descriptor;
            EventCodec<?> codec = d.codec(e.eventType());
            if (codec == null) {
                throw new EventDecodingException(e.streamType(), e.streamId(), e.version(), e.globalPosition(),
                        e.eventType(), "aggregate " + type.streamType + " has no @Apply method for event type '"
                                + e.eventType() + "'", null);
            }
            Object data = Decoding.decode(e, codec);
            d.apply(aggregate, data, type.needsEnvelope ? Decoding.envelope(e, data) : null);
            version = e.version();
        }
    }
}
