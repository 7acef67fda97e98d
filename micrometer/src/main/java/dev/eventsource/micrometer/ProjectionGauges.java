package dev.eventsource.micrometer;

import dev.eventsource.Engine;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.store.StoredEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-partition projection gauges of one engine, read from one cached
 * {@link Engine#projectionStatus()} snapshot: taken at most once per {@code interval} (by the
 * registry's clock), however many gauges a scrape reads, because it may read the store.
 *
 * <p>Threading: gauges are read on the scraping thread(s); {@link #handled} is called on partition
 * worker threads. The snapshot and the timestamp cache are guarded by {@code this}; the set of
 * registered partitions and the handled timestamps are concurrent maps.
 */
final class ProjectionGauges {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionGauges.class);

    static final String PARTITIONS = "eventsource.projection.partitions";
    static final String LAG = "eventsource.projection.lag";
    static final String LAG_TIME = "eventsource.projection.lag.time";
    static final String DEAD_LETTERS = "eventsource.projection.dead.letters";
    static final String STOPPED = "eventsource.projection.stopped";

    /** One partition's numbers in a snapshot. */
    private record Reading(long lag, double lagSeconds, long deadLetters, boolean stopped) {
    }

    /** The last event a partition worker here handled: its global position and timestamp. */
    private record Handled(long position, Instant timestamp) {
    }

    private final Engine engine;
    private final MeterRegistry registry;
    private final Tags common;
    private final long intervalNanos;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    /** Per partition (by key), the last event a worker here handled; one entry per partition at most. */
    private final Map<String, Handled> handled = new ConcurrentHashMap<>();

    private Map<String, Reading> readings = Map.of();
    private Map<Long, Instant> timestamps = Map.of();
    private long takenAt;
    private boolean taken;

    ProjectionGauges(Engine engine, MeterRegistry registry, Tags common, Duration interval) {
        this.engine = engine;
        this.registry = registry;
        this.common = common;
        this.intervalNanos = interval.toNanos();
        Gauge.builder(PARTITIONS, this, g -> g.snapshot().size()).tags(common).strongReference(true)
                .description("projection partitions the engine reports (all instances')").register(registry);
    }

    /** Whether these are the gauges of {@code other}. */
    boolean of(Engine other) {
        return engine == other;
    }

    /** The bound engine's instance id, for messages. */
    String engineId() {
        return engine.instanceId();
    }

    /** A partition worker here handled a batch up to {@code last}: remembers when that event was recorded. */
    void handled(String projection, int partition, StoredEvent last) {
        handled.put(key(projection, partition), new Handled(last.globalPosition(), last.timestamp()));
    }

    private static String key(String projection, int partition) {
        return projection + "\u0000" + partition;
    }

    /** Registers the gauges of a partition, unless they are already. */
    void register(String projection, int partition) {
        String key = key(projection, partition);
        if (!registered.add(key)) {
            return;
        }
        Tags tags = common.and("projection", projection, "partition", Integer.toString(partition));
        gauge(LAG, tags, "events", "events of the log the partition still has to read past", key, Reading::lag);
        gauge(DEAD_LETTERS, tags, null, "events the partition dead-lettered on this engine", key,
                Reading::deadLetters);
        gauge(STOPPED, tags, null, "1 while the partition is stopped on a failure (or not started), else 0", key,
                r -> r.stopped() ? 1 : 0);
        TimeGauge.builder(LAG_TIME, this, TimeUnit.SECONDS, g -> g.read(key, Reading::lagSeconds)).tags(tags)
                .strongReference(true)
                .description("time between the newest event of the log and the last event the partition handled")
                .register(registry);
    }

    private void gauge(String name, Tags tags, String unit, String description, String key,
            ToDoubleFunction<Reading> value) {
        Gauge.builder(name, this, g -> g.read(key, value)).tags(tags).baseUnit(unit).description(description)
                .strongReference(true).register(registry);
    }

    private double read(String key, ToDoubleFunction<Reading> value) {
        Reading r = snapshot().get(key);
        return r == null ? Double.NaN : value.applyAsDouble(r);
    }

    /** The readings, taken anew when older than the interval; registers gauges of partitions new to it. */
    private synchronized Map<String, Reading> snapshot() {
        long now = registry.config().clock().monotonicTime();
        if (taken && now - takenAt < intervalNanos) {
            return readings;
        }
        taken = true;
        takenAt = now;
        List<ProjectionStatus> statuses;
        try {
            statuses = engine.projectionStatus();
        } catch (RuntimeException e) {
            LOG.debug("projection status unavailable; the gauges keep their last readings", e);
            return readings;
        }
        Map<Long, Instant> known = new HashMap<>();
        Map<String, Reading> next = new HashMap<>();
        for (ProjectionStatus s : statuses) {
            double seconds = s.lag() == 0 ? 0 : lagSeconds(s, known);
            next.put(key(s.projection(), s.partition()),
                    new Reading(s.lag(), seconds, s.deadLetters(), s.stopped()));
        }
        readings = next;
        timestamps = known;
        for (ProjectionStatus s : statuses) {
            register(s.projection(), s.partition());
        }
        return readings;
    }

    /**
     * The time between the event at the head and the last one the partition handled (the event at its
     * position; the first event of the log when it handled none); NaN if the store cannot say.
     */
    private double lagSeconds(ProjectionStatus s, Map<Long, Instant> known) {
        Instant head = timestamp(s.headPosition(), known);
        Instant at = timestamp(Math.max(1, s.position()), known);
        if (head == null || at == null) {
            return Double.NaN;
        }
        return Math.max(0, Duration.between(at, head).toNanos()) / 1e9;
    }

    /**
     * The timestamp of the event at {@code position}: from this snapshot, a partition's last handled
     * event, the previous snapshot, else read from the store (and then kept while a snapshot needs it).
     */
    private Instant timestamp(long position, Map<Long, Instant> known) {
        Instant t = known.get(position);
        if (t == null) {
            t = handled.values().stream().filter(h -> h.position() == position).map(Handled::timestamp).findFirst()
                    .orElse(null);
        }
        if (t == null) {
            t = timestamps.get(position);
        }
        if (t == null) {
            try {
                List<StoredEvent> events = engine.store().readLog(position - 1, 1);
                t = events.isEmpty() ? null : events.get(0).timestamp();
            } catch (RuntimeException e) {
                LOG.debug("cannot read the event at position {}", position, e);
            }
        }
        if (t != null) {
            known.put(position, t);
        }
        return t;
    }
}
