package dev.eventsource.internal;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.CommandContext;
import dev.eventsource.CommandResult;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command path: load (cache or snapshot + events), validate, perform, append with the expected
 * version, retry on conflict; and {@link #load} for reads.
 *
 * <p>Threading: called concurrently from any number of command threads; all state is per call
 * except the aggregate caches (take-out semantics make an instance private to one command) and the
 * snapshot writer (its own thread).
 *
 * <pre>{@code
 * CommandPath path = new CommandPath(store, access, 3, Limits.defaults(), Clock.systemUTC(), snapshots, projections);
 * Order order = path.execute(orderType, "o1", new CreateOrder("o1", "c1", 9.5), context, metadata, false).aggregate();
 * }</pre>
 */
public final class CommandPath {

    private static final Logger LOG = LoggerFactory.getLogger(CommandPath.class);

    private final EventStore store;
    private final AggregateAccess access;
    private final int maxRetries;
    private final Limits limits;
    private final Clock clock;
    private final SnapshotWriter snapshots;
    private final CommitHooks hooks;

    /**
     * @param maxRetries how often a command is run again after a version conflict
     * @param limits what recorded events must fit in to be appended
     * @param clock the time events and snapshots are stamped with (and the millisecond of event ids)
     */
    public CommandPath(EventStore store, AggregateAccess access, int maxRetries, Limits limits, Clock clock,
            SnapshotWriter snapshots, CommitHooks hooks) {
        this.store = store;
        this.access = access;
        this.maxRetries = maxRetries;
        this.limits = limits;
        this.clock = clock;
        this.snapshots = snapshots;
        this.hooks = hooks;
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
        ConcurrencyException conflict = null;
        A aggregate = null;
        try {
            for (int attempt = 0; attempt <= maxRetries; attempt++) {
                aggregate = attempt == 0 ? type.cache.take(id) : null;
                if (aggregate == null) {
                    aggregate = loadFresh(type, id);
                } else {
                    access.loaded(aggregate, replay(type, aggregate, id, aggregate.version()));
                }
                // From here on a failure drops the instance: it is out of the cache and may be half-changed.
                access.beginCommand(aggregate, metadata, clock);
                List<Object> events;
                try {
                    command.validate(aggregate, context);
                    command.perform(aggregate, context);
                    events = access.uncommitted(aggregate);
                } catch (RuntimeException | Error e) {
                    access.committed(aggregate);           // ends the command on the dropped instance: record() refuses
                    if (e instanceof RuntimeException && storedBefore(type, id, context)) {
                        return duplicate(type, id);
                    }
                    throw e;
                }
                if (events.isEmpty()) {
                    access.committed(aggregate);
                    if (storedBefore(type, id, context)) {
                        return duplicate(type, id);
                    }
                    type.cache.put(id, aggregate);
                    return new CommandResult<>(aggregate, List.of(), false);
                }
                try {
                    List<EventEnvelope<?>> appended = commit(type, aggregate, id, events, metadata, wantEvents);
                    return new CommandResult<>(aggregate, appended, false);
                } catch (ConcurrencyException e) {
                    conflict = e;
                } catch (DuplicateCommandException e) {
                    access.committed(aggregate);
                    return duplicate(type, id);
                } catch (RuntimeException | Error e) {
                    access.committed(aggregate);
                    throw e;
                }
                access.committed(aggregate);
            }
            ConcurrencyException gaveUp = new ConcurrencyException(conflict.streamType(), conflict.streamId(),
                    conflict.expectedVersion(), conflict.actualVersion(), "gave up after " + (maxRetries + 1)
                            + " attempts; command " + command.getClass().getName());
            gaveUp.initCause(conflict);
            throw gaveUp;
        } catch (RuntimeException e) {
            if (aggregate != null) {
                rollback(command, aggregate, e);
            }
            throw e;
        }
    }

    /** Whether the command's given id produced events on the stream before (never for a generated id). */
    private boolean storedBefore(AggregateType<?> type, String id, CommandContext context) {
        return context.commandId() != null && store instanceof CommandIds ids
                && ids.commandVersion(type.streamType, id, context.commandId()) > 0;
    }

    /** The result of a resent command: the aggregate as stored, nothing appended. */
    private <A extends AggregateRoot> CommandResult<A> duplicate(AggregateType<A> type, String id) {
        A stored = loadFresh(type, id);
        type.cache.put(id, stored);
        return new CommandResult<>(stored, List.of(), true);
    }

    /** {@link Command#rollback}; what it throws is kept as suppressed by {@code cause}, which the caller gets. */
    private static <A extends AggregateRoot> void rollback(Command<A> command, A aggregate, RuntimeException cause) {
        try {
            command.rollback(aggregate, cause);
        } catch (RuntimeException | Error e) {
            cause.addSuppressed(e);
        }
    }

    /** Appends the recorded events; returns them as envelopes when {@code wantEvents}, else an empty list. */
    private <A extends AggregateRoot> List<EventEnvelope<?>> commit(AggregateType<A> type, A aggregate, String id,
            List<Object> events, Map<String, String> metadata, boolean wantEvents) {
        String aggregateId = aggregate.id();
        if (aggregateId != null && !aggregateId.equals(id)) {
            throw new IllegalStateException("command on " + type.streamType + "/" + id + " recorded events that make the"
                    + " aggregate's id() '" + aggregateId + "'; execute it with the same id the events carry");
        }
        int n = events.size();
        long expected = aggregate.version() - n;
        List<NewEvent> batch = serialize(type, aggregate, id, events, metadata);
        AppendResult result;
        Lock order = hooks.orderLock(id);
        if (order == null) {
            result = store.append(type.streamType, id, expected, batch);
            hooks.committed(type.streamType, id, expected + 1, events, batch, result);
        } else {
            order.lock();
            try {
                result = store.append(type.streamType, id, expected, batch);
                hooks.committed(type.streamType, id, expected + 1, events, batch, result);
            } finally {
                order.unlock();
            }
        }
        long version = result.version();
        if (type.snapshotEvery > 0 && expected / type.snapshotEvery != version / type.snapshotEvery) {
            snapshot(type, aggregate, id, version);
        }
        // Before committed(): that clears the list of recorded events this reads.
        List<EventEnvelope<?>> appended = wantEvents ? envelopes(type, id, expected, events, batch, result) : List.of();
        access.committed(aggregate);
        type.cache.put(id, aggregate);
        return appended;
    }

    private static List<EventEnvelope<?>> envelopes(AggregateType<?> type, String id, long expected, List<Object> events,
            List<NewEvent> batch, AppendResult result) {
        List<EventEnvelope<?>> envelopes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = batch.get(i);
            envelopes.add(new EventEnvelope<>(events.get(i), e.eventType(), type.streamType, id, expected + 1 + i,
                    result.firstPosition() + i, e.eventId(), e.timestamp(), e.metadata()));
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
