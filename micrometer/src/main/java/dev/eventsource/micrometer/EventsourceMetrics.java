package dev.eventsource.micrometer;

import dev.eventsource.AggregateRoot;
import dev.eventsource.CommandCall;
import dev.eventsource.CommandInterceptor;
import dev.eventsource.CommandResult;
import dev.eventsource.Engine;
import dev.eventsource.EngineObserver;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.StoredEvent;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Micrometer meters of one {@link Engine}: commands by aggregate type and outcome with their latency,
 * retries, appends, snapshots (as the engine's {@link CommandInterceptor} and {@link EngineObserver}),
 * and per-partition projection lag, dead letters and stops (gauges, after {@link #bindTo}). Every
 * meter is listed in {@code docs/observability.md}; tags are low-cardinality (the aggregate type,
 * never its id). Times come from the registry's clock.
 *
 * <pre>{@code
 * import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
 *
 * EventsourceMetrics metrics = new EventsourceMetrics(new SimpleMeterRegistry());
 * Engine engine = Engine.builder().commandInterceptor(metrics).observer(metrics).build();
 * metrics.bindTo(engine);
 * }</pre>
 *
 * <p>Threading: called on command threads, the snapshot writer and partition workers at once; its
 * state is concurrent maps of Micrometer's thread-safe meters.
 */
public final class EventsourceMetrics implements CommandInterceptor, EngineObserver {

    /** How long one projection status snapshot serves the gauges by default. */
    public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(1);

    private final MeterRegistry registry;
    private final Tags tags;
    private final Duration statusInterval;
    private final Clock clock;
    private final Map<String, AggregateMeters> aggregates = new ConcurrentHashMap<>();
    private final AtomicReference<ProjectionGauges> gauges = new AtomicReference<>();

    /** Meters in {@code registry}, with the status snapshot taken at most once a second. */
    public EventsourceMetrics(MeterRegistry registry) {
        this(registry, Tags.empty(), DEFAULT_STATUS_INTERVAL);
    }

    /**
     * Meters in {@code registry} with {@code tags} added to each (to tell engines of one process
     * apart, say), the projection status taken at most once per {@code statusInterval} (zero: on
     * every gauge read).
     */
    public EventsourceMetrics(MeterRegistry registry, Iterable<Tag> tags, Duration statusInterval) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.statusInterval = Objects.requireNonNull(statusInterval, "statusInterval");
        if (statusInterval.isNegative()) {
            throw new IllegalArgumentException("statusInterval must not be negative: " + statusInterval);
        }
        this.clock = registry.config().clock();
    }

    /**
     * Registers the projection gauges of {@code engine}, the engine this was added to as interceptor
     * and observer; a partition's gauges appear once it is first reported (the gauge
     * {@code eventsource.projection.partitions} takes the status) or handles a batch. Call it before
     * or after {@code engine.start()}; again with the same engine it does nothing.
     *
     * @return this
     * @throws IllegalStateException if bound to another engine already
     */
    public EventsourceMetrics bindTo(Engine engine) {
        Objects.requireNonNull(engine, "engine");
        synchronized (gauges) {
            ProjectionGauges bound = gauges.get();
            if (bound == null) {
                gauges.set(new ProjectionGauges(engine, registry, tags, statusInterval));
            } else if (!bound.of(engine)) {
                throw new IllegalStateException("these metrics are bound to engine " + bound.engineId()
                        + " already, not " + engine.instanceId() + "; make one EventsourceMetrics per engine");
            }
        }
        return this;
    }

    private AggregateMeters meters(String streamType) {
        return aggregates.computeIfAbsent(streamType, type -> new AggregateMeters(registry, tags, type));
    }

    @Override
    public <A extends AggregateRoot> CommandResult<A> intercept(CommandCall<A> call) {
        AggregateMeters meters = meters(call.streamType());
        long start = clock.monotonicTime();
        try {
            CommandResult<A> result = call.proceed();
            meters.completed(result.duplicate(), clock.monotonicTime() - start);
            return result;
        } catch (Throwable failure) {
            meters.failed(failure, clock.monotonicTime() - start);
            throw failure;
        }
    }

    @Override
    public void commandRetried(String streamType, String aggregateId, int retry, ConcurrencyException conflict) {
        meters(streamType).retried();
    }

    @Override
    public void appended(String streamType, String aggregateId, int commands, int events) {
        meters(streamType).appended(commands, events);
    }

    @Override
    public void snapshotWritten(String streamType, String aggregateId, long version, int bytes) {
        meters(streamType).snapshotWritten(bytes);
    }

    @Override
    public Batch projectionBatch(String projection, int partition, List<StoredEvent> events) {
        ProjectionGauges bound = gauges.get();
        if (bound == null || events.isEmpty()) {
            return Batch.NONE;
        }
        bound.register(projection, partition);
        StoredEvent last = events.get(events.size() - 1);
        return failure -> {
            if (failure == null) {
                bound.handled(projection, partition, last);
            }
        };
    }
}
