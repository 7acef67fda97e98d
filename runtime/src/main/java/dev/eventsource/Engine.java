package dev.eventsource;

import dev.eventsource.internal.AggregateType;
import dev.eventsource.internal.CommandMetadata;
import dev.eventsource.internal.CommandPath;
import dev.eventsource.internal.Decoding;
import dev.eventsource.internal.Descriptors;
import dev.eventsource.internal.EventRegistry;
import dev.eventsource.internal.InFlight;
import dev.eventsource.internal.Inputs;
import dev.eventsource.internal.InstanceIds;
import dev.eventsource.internal.Observers;
import dev.eventsource.internal.SnapshotWriter;
import dev.eventsource.internal.StoredTypesCheck;
import dev.eventsource.internal.Threads;
import dev.eventsource.internal.projection.Cluster;
import dev.eventsource.internal.projection.Projections;
import dev.eventsource.internal.projection.Target;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.spi.ProjectionDescriptor;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.PartitionLeases;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StoredEventType;
import dev.eventsource.store.StoredEventTypes;
import dev.eventsource.store.TransactionalCheckpoints;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: runs commands against event-sourced aggregates, feeds projections and takes
 * snapshots, over one {@link EventStore}.
 *
 * <pre>{@code
 * try (Engine engine = Engine.builder().store(new InMemoryStore()).snapshotEvery(100).build()) {
 *     engine.registerAggregate(Order.class);
 *     engine.registerProjection(summary, StreamOptions.named("orders").partitions(4).bufferSize(1000));
 *     engine.start();
 *     Order order = engine.execute(Order.class, "order_1", new CreateOrder("order_1", "c_1", 99.99));
 *     engine.awaitProjections(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Threading: every method is thread-safe. Commands run on the caller's thread; inline
 * projections too, before {@code execute} returns. Each asynchronous projection has a reader thread
 * and one worker thread per partition it runs; snapshots are written by one background thread; over
 * a store that shares partitions between instances, one lease thread renews this engine's partitions.
 * All threads are daemons named {@code eventsource-...}, made by the builder's {@code threadFactory},
 * and end with {@link #close()}.
 *
 * <p>Scaling out: several engines (instances) may run on one store. Over a store that implements
 * {@link PartitionLeases} (the PostgreSQL store) they share every asynchronous projection's
 * partitions without configuration: each partition is run by exactly one live instance at a time,
 * spread evenly, handed over on {@link #close()} and taken over within about
 * {@link Builder#leaseTimeout} when an instance dies. Inline projections are not shared: each
 * instance's see only that instance's commands. Over a store without leases (the in-memory store,
 * which one process uses) the engine runs every partition itself.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EventStore store;
    private final String instanceId;
    private final int snapshotEvery;
    private final int aggregateCacheSize;
    private final Duration closeTimeout;
    private final Limits limits;
    private final UnreadableEvents unreadableEvents;
    private final SnapshotWriter snapshots;
    private final Projections projections;
    private final CommandPath commands;
    private final Clock clock;
    private final CommandInterceptor[] interceptors;
    private final InFlight inFlight = new InFlight();
    private final Object lifecycle = new Object();

    private volatile Map<Class<?>, AggregateType<?>> aggregates = Map.of();
    private volatile EventRegistry registry = EventRegistry.EMPTY;
    private volatile boolean closing;
    private boolean closed;

    /** An engine over {@code store} with the default settings; shorthand for {@code builder().store(store).build()}. */
    public Engine(EventStore store) {
        this(builder().store(store));
    }

    private Engine(Builder builder) {
        this.store = builder.store != null ? builder.store : new InMemoryStore();
        this.instanceId = builder.instanceId != null ? builder.instanceId : InstanceIds.next();
        this.snapshotEvery = builder.snapshotEvery;
        this.aggregateCacheSize = builder.aggregateCacheSize;
        this.closeTimeout = builder.closeTimeout;
        this.limits = builder.limits;
        this.unreadableEvents = builder.unreadableEvents;
        EngineObserver observer = Observers.of(builder.observers);
        this.snapshots = new SnapshotWriter(store, builder.snapshotQueueSize, builder.threadFactory, observer);
        this.projections = new Projections(store, builder.clock, builder.threadFactory, new Cluster(instanceId,
                store instanceof PartitionLeases leases ? leases : null, builder.leaseTimeout), observer);
        this.clock = builder.clock;
        this.interceptors = builder.interceptors.toArray(new CommandInterceptor[0]);
        this.commands = new CommandPath(store, AggregateRoot.access(), builder.maxRetries, builder.retryBackoff,
                builder.maxRetryBackoff, builder.commandBatchSize, builder.combineQueuedCommands, limits, builder.clock,
                snapshots, projections, observer);
    }

    /** A builder with the defaults: in-memory store, snapshots every 100 events, 3 retries, a 10,000-aggregate cache. */
    public static Builder builder() {
        return new Builder();
    }

    /** The store this engine runs on. */
    public EventStore store() {
        return store;
    }

    /**
     * This engine's id among the instances sharing its store: what {@link ProjectionStatus#owner()}
     * shows for the partitions it runs. The builder's {@link Builder#instanceId}, by default
     * {@code <host name>:<pid>}, with {@code #2}, {@code #3}, ... for further engines in the JVM.
     */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Makes an {@code @Aggregate} class usable with {@link #execute} and {@link #load}, through the
     * descriptor the annotation processor generated for it. Registering a class twice does nothing.
     *
     * @throws IllegalArgumentException if no descriptor was generated for the class, or its stream
     *     type or an event type name clashes with one registered already
     */
    public <A extends AggregateRoot> void registerAggregate(Class<A> type) {
        Objects.requireNonNull(type, "type");
        @SuppressWarnings("unchecked")
        AggregateDescriptor<A> descriptor = (AggregateDescriptor<A>) Descriptors.aggregate(type);
        synchronized (lifecycle) {
            requireOpen("register aggregate " + type.getName());
            if (aggregates.containsKey(type)) {
                return;
            }
            for (AggregateType<?> existing : aggregates.values()) {
                if (existing.streamType().equals(descriptor.streamType())) {
                    throw new IllegalArgumentException("aggregates " + existing.descriptor().type().getName() + " and "
                            + type.getName() + " both use stream type '" + descriptor.streamType()
                            + "'; give one another @Aggregate(name = ...)");
                }
            }
            registry = registry.with("aggregate " + descriptor.streamType(), descriptor.eventCodecs());
            Map<Class<?>, AggregateType<?>> next = new HashMap<>(aggregates);
            next.put(type, new AggregateType<>(descriptor, snapshotEvery, aggregateCacheSize));
            aggregates = Map.copyOf(next);
        }
    }

    /**
     * Registers a projection: a {@code @Projection} instance, a {@link Projection} or a
     * {@link TransactionalProjection}. Without options it is inline (handled on the command thread
     * before {@code execute} returns); with {@link StreamOptions} it runs asynchronously on its own
     * partition workers from its checkpoints, starting with {@link #start()}.
     *
     * <p>An inline projection sees only the events of commands run by this engine, never those of
     * other instances (or processes) on the same store: when you scale out, give every read model that
     * must see all events {@link StreamOptions} (asynchronous projections read the store's log and
     * share their partitions between the instances). An asynchronous projection runs, over a store
     * with {@link PartitionLeases}, only on the partitions this engine holds a lease of.
     *
     * <pre>{@code
     * engine.registerProjection(summary);                                               // inline
     * // or
     * engine.registerProjection(summary, StreamOptions.named("orders").partitions(4));  // asynchronous
     * }</pre>
     *
     * @param options none, or exactly one
     * @throws IllegalArgumentException if the object is no projection, its name is taken, or more
     *     than one options object is passed
     * @throws IllegalStateException if a transactional projection does not fit the store
     */
    public void registerProjection(Object projection, StreamOptions... options) {
        Objects.requireNonNull(projection, "projection");
        if (options != null && options.length > 1) {
            throw new IllegalArgumentException("pass at most one StreamOptions to registerProjection, got " + options.length
                    + " for " + projection.getClass().getName());
        }
        StreamOptions streamOptions = options == null || options.length == 0 ? null
                : Objects.requireNonNull(options[0], "options");
        synchronized (lifecycle) {
            requireOpen("register projection " + projection.getClass().getName());
            projections.register(targetFor(projection), streamOptions);
        }
    }

    private Target targetFor(Object projection) {
        if (projection instanceof TransactionalProjection<?> transactional) {
            Class<?> wanted = Objects.requireNonNull(transactional.transactionType(), "transactionType()");
            if (store instanceof TransactionalCheckpoints tx && !wanted.isAssignableFrom(tx.transactionType())) {
                throw new IllegalStateException("transactional projection " + transactional.name() + " expects a "
                        + wanted.getName() + " but " + store.getClass().getName() + " hands out " + tx.transactionType().getName());
            }
            return Target.transactional(transactional, this::registry);
        }
        if (projection instanceof Projection plain) {
            return Target.plain(plain, this::registry);
        }
        @SuppressWarnings("unchecked")
        ProjectionDescriptor<Object> descriptor = (ProjectionDescriptor<Object>) Descriptors.projectionOrNull(projection.getClass());
        if (descriptor == null) {
            throw new IllegalArgumentException(projection.getClass().getName() + " is not a projection: annotate it with"
                    + " @Projection (and make sure the eventsource-processor runs), or implement Projection or"
                    + " TransactionalProjection");
        }
        registry = registry.with("projection " + descriptor.name(), descriptor.eventCodecs());
        return Target.annotated(descriptor, projection);
    }

    private EventRegistry registry() {
        return registry;
    }

    /**
     * Checks that this build can read what the store holds, then starts the asynchronous projections
     * (each resumes from its checkpoints). Idempotent and retryable: if it fails, nothing counts as
     * started and the next call starts every projection not started yet (including ones registered
     * in between); meanwhile {@link #projectionStatus()} shows {@code "not started: start() failed:
     * ..."} on each of them.
     *
     * <p>The check, over a store with the {@link StoredEventTypes} role (both stores of this library;
     * over a store without it there is none): one small read of the (stream type, event type, version)
     * combinations the store holds. Each combination of a registered aggregate's stream type must be an
     * event type the aggregate applies (by name or alias) at a version its codec reads, and each other
     * combination whose event type a registered aggregate or projection knows must be at a readable
     * version. Combinations this build cannot read make {@code start()} throw, or only log a warning
     * with {@link Builder#unreadableEvents}{@code (UnreadableEvents.WARN)}. Register every aggregate and
     * projection before {@code start()}: the check runs until a call succeeds, not after.
     *
     * @throws UnreadableEventsException naming each stored combination no registered class reads, what
     *     this build reads instead and the fix (nothing is started)
     * @throws EventSourceException naming the step that failed (e.g. the store is unreachable);
     *     call {@code start()} again once the cause is fixed
     * @throws IllegalStateException if the store cannot serve the projections as configured (e.g. a
     *     PostgreSQL pool too small for its listener), or after {@link #close()}
     */
    public void start() {
        synchronized (lifecycle) {
            requireOpen("start");
            projections.start(this::checkStoredEventTypes);
        }
    }

    private void checkStoredEventTypes() {
        if (!(store instanceof StoredEventTypes types)) {
            return;
        }
        Set<StoredEventType> stored = types.storedEventTypes();
        Map<String, AggregateDescriptor<?>> byStreamType = new HashMap<>();
        for (AggregateType<?> a : aggregates.values()) {
            byStreamType.put(a.streamType(), a.descriptor());
        }
        List<StoredTypesCheck.Unreadable> problems = StoredTypesCheck.unreadable(stored, byStreamType, registry);
        if (problems.isEmpty()) {
            return;
        }
        String fixes = "register every aggregate and projection that reads these events before start(), add the"
                + " @EventType(aliases), legacy classes and @Upcast methods named above, or deploy the newer build";
        if (unreadableEvents == UnreadableEvents.WARN) {
            LOG.warn(StoredTypesCheck.message(problems, "engine start: the store holds " + problems.size()
                    + " kind(s) of events this build cannot read (starting anyway: unreadableEvents(WARN)); loading or"
                    + " projecting them fails until you " + fixes + ":"));
            return;
        }
        throw new UnreadableEventsException(problems.stream().map(StoredTypesCheck.Unreadable::type).toList(),
                StoredTypesCheck.message(problems, "engine start refused: the store holds " + problems.size()
                        + " kind(s) of events this build cannot read; " + fixes + " (or start anyway with"
                        + " Engine.builder().unreadableEvents(UnreadableEvents.WARN)):"));
    }

    /**
     * Runs a command on the aggregate {@code id}: loads it (from the cache, or its newest snapshot
     * plus later events), calls {@link Command#validate} and {@link Command#perform}, and appends
     * the recorded events with optimistic concurrency, retrying the whole command on a version
     * conflict. An id without events creates the aggregate; a command that records nothing appends
     * nothing.
     *
     * <p>The returned instance is the engine's cached copy: read it on the calling thread right away;
     * a later command on the same aggregate may reuse it. Use {@link #load} for a private copy.
     *
     * @return the aggregate after the command
     * @throws CommandValidationException (or whatever {@code validate}/{@code perform} threw) with
     *     nothing appended
     * @throws ConcurrencyException when the retries are used up, naming stream and versions
     * @throws dev.eventsource.store.StoreException when the store fails (a message saying "may or
     *     may not be stored" means the commit itself was cut off: load the aggregate to see)
     * @throws EventDecodingException when a stored event of the aggregate cannot be read back
     * @throws dev.eventsource.spi.UnknownEventException when the command records an event the
     *     aggregate has no {@code @Apply} method for
     * @throws dev.eventsource.spi.CodecException when a generated codec cannot write an event
     * @throws IllegalArgumentException if the aggregate class is not registered, the id is empty,
     *     too long or not valid Unicode, or an event is over the {@link Limits} (nothing appended;
     *     the message names the event type, field, size and limit)
     * @throws IllegalStateException after {@link #close()}
     */
    public <A extends AggregateRoot> A execute(Class<A> type, String id, Command<A> command) {
        return execute(type, id, command, CommandContext.none());
    }

    /**
     * As {@link #execute(Class, String, Command)}, storing {@code headers} with every event the
     * command records: {@code execute(type, id, command, CommandContext.builder().headers(headers).build())}.
     *
     * @throws IllegalArgumentException before the command runs, naming the key, when a key is
     *     reserved (see {@link EventEnvelope}), or a key or value is null, too long or not valid
     *     Unicode, or there are too many entries (see {@link Limits})
     */
    public <A extends AggregateRoot> A execute(Class<A> type, String id, Command<A> command, Map<String, String> headers) {
        Objects.requireNonNull(headers, "headers");
        return execute(type, id, command, headers.isEmpty() ? CommandContext.none()
                : CommandContext.builder().headers(headers).build());
    }

    /**
     * As {@link #execute(Class, String, Command)}, with the command's context: the engine stores its
     * ids and headers in the metadata of every event the command records (the reserved keys are
     * listed on {@link EventEnvelope}; a command id is generated when none is given, once per call,
     * so conflict retries keep it) and passes it to {@link Command#validate(AggregateRoot,
     * CommandContext)} and {@link Command#perform(AggregateRoot, CommandContext)}.
     *
     * @throws IllegalArgumentException before the command runs, naming the key, when a header uses a
     *     reserved key, or a key or value is null, too long or not valid Unicode, or there are too
     *     many entries (see {@link Limits})
     */
    public <A extends AggregateRoot> A execute(Class<A> type, String id, Command<A> command, CommandContext context) {
        return run(type, id, command, context, false).aggregate();
    }

    /**
     * As {@link #execute(Class, String, Command, CommandContext)}, telling the caller what happened:
     * the events appended, and whether the command was a duplicate. A command whose
     * {@link CommandContext#commandId()} already produced events on the stream appends nothing and
     * returns the stored aggregate with {@link CommandResult#duplicate()} set, also when the resend
     * would now be rejected or record nothing (its own earlier effect is why). This needs a store
     * that remembers command ids ({@link dev.eventsource.store.CommandIds}: {@code InMemoryStore},
     * {@code PostgresStore}); with another store every command runs as new. Ids are remembered as
     * long as the stream's events: there is no expiry.
     *
     * <pre>{@code
     * CommandContext once = CommandContext.builder().commandId("request-42").build();
     * engine.executeResult(Order.class, "order_1", new CreateOrder("order_1", "c_1", 10.0), once);
     * boolean again = engine.executeResult(Order.class, "order_1", new CreateOrder("order_1", "c_1", 10.0), once).duplicate();
     * }</pre>
     *
     * @throws CommandValidationException and the rest as {@link #execute(Class, String, Command)}
     */
    public <A extends AggregateRoot> CommandResult<A> executeResult(Class<A> type, String id, Command<A> command,
            CommandContext context) {
        return run(type, id, command, context, true);
    }

    private <A extends AggregateRoot> CommandResult<A> run(Class<A> type, String id, Command<A> command,
            CommandContext context, boolean wantEvents) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(context, "context");
        AggregateType<A> aggregate = typeOf(type, id);
        if (interceptors.length == 0) {
            return run(aggregate, id, command, context, wantEvents);
        }
        return new Call<>(aggregate, id, command, context, 0).proceed();
    }

    private <A extends AggregateRoot> CommandResult<A> run(AggregateType<A> aggregate, String id, Command<A> command,
            CommandContext context, boolean wantEvents) {
        Map<String, String> metadata = CommandMetadata.of(context, limits, clock, aggregate.streamType(), id);
        int stripe = inFlight.enter();
        try {
            if (closing) {
                throw new IllegalStateException("engine is closed: command " + command.getClass().getName() + " on "
                        + aggregate.streamType() + "/" + id + " rejected");
            }
            return commands.execute(aggregate, id, command, context, metadata, wantEvents);
        } finally {
            inFlight.leave(stripe);
        }
    }

    /** A command call passing through the interceptors from {@code next} on, then run with its events listed. */
    private final class Call<A extends AggregateRoot> implements CommandCall<A> {
        private final AggregateType<A> aggregate;
        private final String id;
        private final Command<A> command;
        private final CommandContext context;
        private final int next;
        private boolean proceeded;

        Call(AggregateType<A> aggregate, String id, Command<A> command, CommandContext context, int next) {
            this.aggregate = aggregate;
            this.id = id;
            this.command = command;
            this.context = context;
            this.next = next;
        }

        @Override
        public Class<A> aggregateType() {
            return aggregate.descriptor().type();
        }

        @Override
        public String streamType() {
            return aggregate.streamType();
        }

        @Override
        public String aggregateId() {
            return id;
        }

        @Override
        public Command<A> command() {
            return command;
        }

        @Override
        public CommandContext context() {
            return context;
        }

        @Override
        public CommandResult<A> proceed() {
            return proceed(context);
        }

        @Override
        public CommandResult<A> proceed(CommandContext context) {
            Objects.requireNonNull(context, "context");
            if (proceeded) {
                throw new IllegalStateException("interceptor " + interceptors[next - 1].getClass().getName()
                        + " called proceed() twice for command " + command.getClass().getName() + " on "
                        + aggregate.streamType() + "/" + id + "; a command runs once per call");
            }
            proceeded = true;
            if (next == interceptors.length) {
                return run(aggregate, id, command, context, true);
            }
            CommandResult<A> result = interceptors[next].intercept(new Call<>(aggregate, id, command, context, next + 1));
            if (result == null) {
                throw new IllegalStateException("interceptor " + interceptors[next].getClass().getName()
                        + " returned no result for command " + command.getClass().getName() + " on "
                        + aggregate.streamType() + "/" + id);
            }
            return result;
        }
    }

    /**
     * The aggregate as stored now (newest matching snapshot plus later events), as a new instance
     * private to the caller; empty if the stream has no events.
     */
    public <A extends AggregateRoot> Optional<A> load(Class<A> type, String id) {
        AggregateType<A> aggregate = typeOf(type, id);
        if (closing) {
            throw new IllegalStateException("engine is closed: cannot load " + aggregate.streamType() + "/" + id);
        }
        return commands.load(aggregate, id);
    }

    /**
     * The stream of aggregate {@code id} as decoded events, in version order: what an audit screen
     * or a support tool shows. Old payload versions come through their upcasters, as in a load.
     *
     * <pre>{@code
     * for (EventEnvelope<?> e : engine.readStream(Order.class, "order_1")) {
     *     System.out.println(e.version() + " " + e.eventType() + " by " + e.userId().orElse("?") + ": " + e.data());
     * }
     * }</pre>
     *
     * @return the events, empty when the stream has none
     * @throws EventDecodingException naming the event when one cannot be decoded
     * @throws IllegalArgumentException if the aggregate class is not registered or the id is bad
     * @throws IllegalStateException after {@link #close()}
     */
    public <A extends AggregateRoot> List<EventEnvelope<?>> readStream(Class<A> type, String id) {
        AggregateType<A> aggregate = typeOf(type, id);
        requireOpen("read " + aggregate.streamType() + "/" + id);
        AggregateDescriptor<A> descriptor = aggregate.descriptor();
        List<EventEnvelope<?>> events = new ArrayList<>();
        store.readStream(aggregate.streamType(), id, 0,
                e -> events.add(Decoding.envelope(e, Decoding.decode(e, descriptor.codec(e.eventType())))));
        return events;
    }

    /**
     * Up to {@code limit} events of the global log after {@code afterPosition} whose event types a
     * registered aggregate or projection knows (by name or alias), decoded, in position order: for
     * integrations and audit views. Events of other types (another application's, on a shared
     * database) are passed over, and the read goes on past them, so an empty list means nothing more
     * of a known type is committed yet. Page with the last envelope's
     * {@link EventEnvelope#globalPosition()}.
     *
     * <pre>{@code
     * long position = 0;
     * for (List<EventEnvelope<?>> page; !(page = engine.readLog(position, 500)).isEmpty(); ) {
     *     page.forEach(e -> System.out.println(e.globalPosition() + " " + e.streamType() + "/" + e.streamId()));
     *     position = page.get(page.size() - 1).globalPosition();
     * }
     * }</pre>
     *
     * @throws EventDecodingException naming the event when one of a known type cannot be decoded (a
     *     bad payload, a version no class reads, a row the store could not read): it is not skipped
     * @throws IllegalArgumentException if {@code afterPosition} is negative or {@code limit} is not
     *     positive
     * @throws IllegalStateException after {@link #close()}
     */
    public List<EventEnvelope<?>> readLog(long afterPosition, int limit) {
        if (afterPosition < 0 || limit < 1) {
            throw new IllegalArgumentException("readLog needs afterPosition >= 0 and limit >= 1, got " + afterPosition
                    + " and " + limit);
        }
        requireOpen("read the log");
        EventRegistry known = registry;
        List<EventEnvelope<?>> events = new ArrayList<>();
        long after = afterPosition;
        while (events.isEmpty()) {
            List<StoredEvent> stored = store.readLog(after, limit);
            if (stored.isEmpty()) {
                break;
            }
            for (StoredEvent e : stored) {
                EventCodec<?> codec = known.codec(e.eventType());
                if (codec != null || e.readProblem() != null) {
                    events.add(Decoding.envelope(e, Decoding.decode(e, codec)));
                }
                after = e.globalPosition();
            }
        }
        return events;
    }

    @SuppressWarnings("unchecked")
    private <A extends AggregateRoot> AggregateType<A> typeOf(Class<A> type, String id) {
        AggregateType<A> aggregate = (AggregateType<A>) aggregates.get(Objects.requireNonNull(type, "type"));
        if (aggregate == null) {
            throw new IllegalArgumentException("aggregate " + type.getName() + " is not registered with this engine: call"
                    + " engine.registerAggregate(" + type.getSimpleName() + ".class) first");
        }
        Inputs.checkId(limits, aggregate.streamType(), id);
        return aggregate;
    }

    /**
     * Waits until every asynchronous projection has handled every event committed when the call
     * began (inline projections always have). Over a store that shares partitions between instances
     * this is cluster-wide: it returns true once every partition, wherever it runs, has handled them,
     * judging the partitions this engine runs by their progress and the others by their stored
     * checkpoints (a partition no live instance holds waits until one takes it over).
     *
     * @return true when they have; false on timeout, or when a partition stopped on a failure, here or
     *     on its owner (see {@link #projectionStatus()})
     * @throws IllegalStateException ("engine not started") if no {@link #start()} succeeded yet, with
     *     or without asynchronous projections
     */
    public boolean awaitProjections(Duration timeout) {
        return projections.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Rebuilds a registered projection from scratch: pauses it, calls its {@code reset}, deletes its
     * checkpoints, replays the whole log into it at full speed and returns once it has caught up
     * with the log as it was at the call; it then continues live with no gap and no duplicate.
     * Commands wait while an inline projection is rebuilt; asynchronous ones rebuild while commands
     * go on (before {@link #start()} this only resets, the replay happens at start).
     *
     * <p>Over a store that shares partitions between instances, call it on one instance: the read
     * model is reset once, the reset revokes every instance's leases of the projection, and every
     * partition replays from the beginning on whichever instance takes it (the others stop at their
     * next checkpoint write or heartbeat). It returns once every partition, wherever it runs, has
     * caught up. A {@link TransactionalProjection} applies each event exactly once across the reset; a
     * plain one may see again the events another instance was handling at the moment of the reset.
     *
     * @param projection the instance passed to {@link #registerProjection}
     * @throws IllegalArgumentException if it is not registered or cannot be reset ({@code @Projection}
     *     classes implement {@link Resettable})
     */
    public void rebuildProjection(Object projection) {
        Objects.requireNonNull(projection, "projection");
        if (closing) {
            throw new IllegalStateException("engine is closed: cannot rebuild " + projection.getClass().getName());
        }
        projections.rebuild(projection);
    }

    /**
     * Retries the dead letters of a registered projection, once the bug that made it give up is
     * fixed: each is re-read from the store by its global position, decoded as now (an event
     * stored at an old version goes through its upcasters) and handled again with the
     * projection's {@code maxAttempts} and backoff. A success deletes the dead letter; a failure
     * keeps it, with the attempts added up, the new error and the time of the engine's clock, and
     * logs it. Waits at most the builder's {@code closeTimeout}; see
     * {@link #retryDeadLetters(Object, Duration)}.
     *
     * <pre>{@code
     * int retried = engine.retryDeadLetters(summary);   // after deploying the fix
     * }</pre>
     *
     * @param projection the instance passed to {@link #registerProjection}
     * @return how many dead letters were retried successfully and deleted; 0 at once when there are none
     * @throws IllegalStateException before {@link #start()} or after {@link #close()}
     * @throws IllegalArgumentException if it is not registered
     * @throws EventSourceException if the retry did not finish in time
     */
    public int retryDeadLetters(Object projection) {
        return retryDeadLetters(projection, closeTimeout);
    }

    /**
     * As {@link #retryDeadLetters(Object)}, waiting at most {@code timeout}. An asynchronous
     * projection's dead letters are retried on its partition threads, between batches of new
     * events (the projection is never called from two threads), in position order per partition,
     * and only for the partitions this engine runs: over a store that shares partitions, call it on
     * every instance (or on the one {@link #projectionStatus()} names). A
     * {@link TransactionalProjection} retries each dead letter in a store transaction of its own
     * that also deletes the dead letter when the store can ({@code TransactionalDeadLetters}, the
     * PostgreSQL store): exactly once. An inline projection's are retried on the calling thread
     * while commands wait. Dead letters it cannot retry (its event is no longer in the store, its
     * partition runs elsewhere or stopped, it was retried meanwhile) stay and are logged with the
     * reason; {@link ProjectionStatus#deadLetters()} counts one fewer for each retried.
     *
     * @throws EventSourceException on timeout: the partitions stop retrying after the dead letter in
     *     hand, and those not retried stay dead letters
     */
    public int retryDeadLetters(Object projection, Duration timeout) {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(timeout, "timeout");
        requireOpen("retry the dead letters of " + projection.getClass().getName());
        return projections.retryDeadLetters(projection, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Where every projection stands: per partition the position handled, dead letters, the failure
     * that stopped it, if any, the instance that runs it and its lease, its stored checkpoint, and the
     * log's head (so {@link ProjectionStatus#lag()}). Over a store that shares partitions between
     * instances it lists every partition of the cluster, wherever it runs. Reads the store; if the
     * store does not answer, shows what this engine knows.
     */
    public List<ProjectionStatus> projectionStatus() {
        return projections.status();
    }

    /**
     * Closes the engine: rejects new commands, waits for running ones, lets the asynchronous
     * projections handle every committed event (those of the partitions this engine runs), saves
     * their checkpoints and gives up their leases, so other instances take the partitions at once,
     * writes queued snapshots and stops all threads. Waits
     * at most the builder's {@code closeTimeout} per step (events not handled by then stay in the
     * store and are handled after a restart). Does not close the store. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closing = true;
            long timeoutMillis = closeTimeout.toMillis();
            if (!inFlight.awaitIdle(timeoutMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("engine close: commands still running after {}; closing anyway", closeTimeout);
            }
            List<String> behind = projections.close(timeoutMillis, TimeUnit.MILLISECONDS);
            if (!behind.isEmpty()) {
                LOG.warn("engine close: projections {} did not catch up within {}; their events stay in the store and are"
                        + " handled after a restart", behind, closeTimeout);
            }
            snapshots.close(timeoutMillis);
            closed = true;
        }
    }

    private void requireOpen(String action) {
        if (closing) {
            throw new IllegalStateException("engine is closed: cannot " + action);
        }
    }

    /**
     * Settings of an {@link Engine}; every setter validates at once.
     *
     * <pre>{@code
     * Engine engine = Engine.builder()
     *         .store(new InMemoryStore())
     *         .snapshotEvery(100)
     *         .maxRetries(5)
     *         .build();
     * }</pre>
     */
    public static final class Builder {

        /** The default longest pause before the first retry after a conflict: 1 ms (see {@link #retryBackoff}). */
        public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(1);
        /** The default cap of the pause between retries: 50 ms (see {@link #retryBackoff}). */
        public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofMillis(50);

        private EventStore store;
        private String instanceId;
        private Duration leaseTimeout = Duration.ofSeconds(10);
        private int snapshotEvery = 100;
        private int maxRetries = 3;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private Duration maxRetryBackoff = DEFAULT_MAX_RETRY_BACKOFF;
        private int commandBatchSize = 128;
        private boolean combineQueuedCommands;
        private int aggregateCacheSize = 10_000;
        private int snapshotQueueSize = 1_024;
        private Duration closeTimeout = Duration.ofSeconds(30);
        private Limits limits = Limits.defaults();
        private UnreadableEvents unreadableEvents = UnreadableEvents.REFUSE;
        private Clock clock = Clock.systemUTC();
        private ThreadFactory threadFactory = Threads.DEFAULT;
        private final List<CommandInterceptor> interceptors = new ArrayList<>();
        private final List<EngineObserver> observers = new ArrayList<>();

        private Builder() {
        }

        /** The event store; an {@link InMemoryStore} if not set. */
        public Builder store(EventStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * This engine's id among the instances sharing the store (see {@link Engine#instanceId()}); it
         * must be unique among the live instances. Default {@code <host name>:<pid>}, with {@code #2},
         * {@code #3}, ... for further engines built in the JVM.
         *
         * @throws IllegalArgumentException if it is blank, longer than 200 characters or contains
         *     control characters
         */
        public Builder instanceId(String instanceId) {
            Objects.requireNonNull(instanceId, "instanceId");
            if (instanceId.isBlank()) {
                throw new IllegalArgumentException("instanceId must not be blank: '" + instanceId + "'");
            }
            if (instanceId.length() > 200) {
                throw new IllegalArgumentException("instanceId must be at most 200 characters: " + instanceId.length()
                        + " ('" + instanceId.substring(0, 20) + "...')");
            }
            if (instanceId.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("instanceId must not contain control characters: '"
                        + instanceId.replaceAll("\\p{Cntrl}", "?") + "'");
            }
            this.instanceId = instanceId;
            return this;
        }

        /**
         * How long a partition stays this engine's without a heartbeat, over a store that shares
         * partitions between instances (default 10 s). The engine heartbeats every fifth of it (2 s),
         * so an instance that dies, is cut off or pauses loses its partitions at most this long after
         * its last heartbeat, and the others take them at their next one (at most about 12 s by
         * default). Shorter means faster takeover and more store traffic.
         *
         * @throws IllegalArgumentException if it is under 100 ms or over 10 minutes
         */
        public Builder leaseTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "leaseTimeout");
            if (timeout.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("leaseTimeout must be at least 100 ms (the heartbeat runs every fifth"
                        + " of it): " + timeout);
            }
            if (timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("leaseTimeout must be at most 10 minutes: " + timeout);
            }
            this.leaseTimeout = timeout;
            return this;
        }

        /**
         * Default number of events between snapshots for aggregates that do not set
         * {@code @Aggregate(snapshotEvery)}; 0 takes none by default (default 100).
         */
        public Builder snapshotEvery(int events) {
            if (events < 0) {
                throw new IllegalArgumentException("snapshotEvery must not be negative: " + events
                        + " (0 turns default snapshots off)");
            }
            this.snapshotEvery = events;
            return this;
        }

        /**
         * How often a command is run again after a version conflict with another writer (another
         * process, or another engine on the same store) before giving up with a
         * {@link dev.eventsource.store.ConcurrencyException} naming the stream and versions (default
         * 3). Commands of this engine on one aggregate never conflict with each other: they queue.
         */
        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative: " + retries);
            }
            this.maxRetries = retries;
            return this;
        }

        /**
         * The pause before a retry after a conflict with another writer: a random time between 0 and
         * {@code initial} for the first retry, doubling per retry up to {@code max} ("full jitter",
         * so writers that collided do not collide again in step); default 1 ms and 50 ms.
         * {@link Duration#ZERO} retries at once.
         *
         * @throws IllegalArgumentException if either is negative or {@code max} is under {@code initial}
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("retryBackoff needs 0 <= initial <= max: " + initial + ", " + max);
            }
            this.retryBackoff = initial;
            this.maxRetryBackoff = max;
            return this;
        }

        /**
         * How many commands queued on one aggregate may share one append (default 128): they run one
         * after another on the evolving state, each on its own thread, and their events are appended
         * in one transaction, each caller getting its own result or exception. 1 appends each
         * command alone (commands on one aggregate still queue).
         *
         * @throws IllegalArgumentException if it is under 1
         */
        public Builder commandBatchSize(int commands) {
            if (commands < 1) {
                throw new IllegalArgumentException("commandBatchSize must be at least 1: " + commands);
            }
            this.commandBatchSize = commands;
            return this;
        }

        /**
         * How many loaded aggregates of each type are kept between commands (default 10,000): a
         * command on a kept one reads nothing before its append (a conflict makes it read and run
         * again). 0 keeps none: every command loads its aggregate.
         */
        public Builder aggregateCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("aggregateCacheSize must not be negative: " + size);
            }
            this.aggregateCacheSize = size;
            return this;
        }

        /** How many snapshots may wait for the background writer before new ones are skipped (default 1024). */
        public Builder snapshotQueueSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("snapshotQueueSize must be at least 1: " + size);
            }
            this.snapshotQueueSize = size;
            return this;
        }

        /** How long {@link Engine#close()} waits for each step of the shutdown (default 30 s). */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "closeTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative: " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * How large events, ids and metadata may be; checked before anything is stored (default
         * {@link Limits#defaults()}).
         */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * What {@link Engine#start()} does when the store holds events no registered aggregate or
         * projection can read: {@link UnreadableEvents#REFUSE} (the default) throws an
         * {@link UnreadableEventsException}, {@link UnreadableEvents#WARN} logs them and starts.
         */
        public Builder unreadableEvents(UnreadableEvents policy) {
            this.unreadableEvents = Objects.requireNonNull(policy, "unreadableEvents");
            return this;
        }

        /**
         * The clock events are stamped with (and whose millisecond their UUIDv7 ids carry, unless
         * ids given out earlier in this JVM are later: ids stay increasing), and snapshots and dead
         * letters; default {@link Clock#systemUTC()}. Tests pass a fixed clock.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Makes every thread the engine starts (projection readers and partition workers, the
         * snapshot writer, the lease thread); the engine names each one {@code eventsource-...} and
         * makes it a daemon.
         * Default: plain platform threads.
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * Whether the commands queued on one aggregate run one after another on the thread of
         * whichever caller holds the aggregate (flat combining) instead of each on its own caller's
         * thread (default false). On, a burst of commands on a hot aggregate costs no hand-over from
         * thread to thread, only one append: with 8 callers on one PostgreSQL aggregate it measured
         * 10-33% faster (15,100-15,800 against 11,800-14,500 commands/s, docs/benchmarks.md). The
         * price: a command's {@code validate} and {@code perform} may run on another caller's
         * thread, so thread-locals, a logging MDC and the current tracing span there are that
         * thread's (interceptors still run on the caller's thread, around the call); give a command
         * what it needs in its fields or its {@link CommandContext}. Results, exceptions, idempotency and ordering are the same.
         */
        public Builder combineQueuedCommands(boolean combine) {
            this.combineQueuedCommands = combine;
            return this;
        }

        /**
         * Adds an interceptor that runs around every command (see {@link CommandInterceptor});
         * interceptors run in the order added, the first outermost. None by default.
         */
        public Builder commandInterceptor(CommandInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Adds an observer told of retries, appends, snapshots and projection batches (see
         * {@link EngineObserver}); observers are called in the order added, and one that throws is
         * logged and ignored. None by default.
         */
        public Builder observer(EngineObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /** The engine. */
        public Engine build() {
            return new Engine(this);
        }
    }
}
