package dev.eventsource.spring.boot.internal;

import dev.eventsource.Engine;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.spring.boot.EventsourceProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code eventsource} health: DOWN when the store does not answer; else the configured
 * {@code stopped-status} (default DOWN) when a partition stopped on a failure or never started, the
 * {@code lag-status} (default OUT_OF_SERVICE) when one lags more than {@code max-lag} events, else UP.
 * Details: the store's head position and, per projection, its partitions, lag, dead letters and
 * failures, cluster-wide.
 *
 * <pre>{@code
 * Health health = new EventsourceHealthIndicator(engine, properties.getHealth()).health();
 * health.getStatus();   // UP, DOWN or OUT_OF_SERVICE
 * }</pre>
 *
 * <p>Thread-safe: every call reads the engine afresh.
 */
public final class EventsourceHealthIndicator implements HealthIndicator {

    private final Engine engine;
    private final EventsourceProperties.Health settings;
    private final Status stoppedStatus;
    private final Status lagStatus;

    public EventsourceHealthIndicator(Engine engine, EventsourceProperties.Health settings) {
        this.engine = engine;
        this.settings = settings;
        this.stoppedStatus = status("eventsource.health.stopped-status", settings.getStoppedStatus());
        this.lagStatus = status("eventsource.health.lag-status", settings.getLagStatus());
    }

    private static Status status(String property, String code) {
        return switch (code.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_')) {
            case "DOWN" -> Status.DOWN;
            case "OUT_OF_SERVICE" -> Status.OUT_OF_SERVICE;
            default -> throw new IllegalArgumentException(property + " must be DOWN or OUT_OF_SERVICE: '" + code + "'");
        };
    }

    @Override
    public Health health() {
        long head;
        try {
            head = engine.store().headPosition();
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("store", "unreachable: " + e.getMessage()).build();
        }
        Map<String, Map<String, Object>> projections = new LinkedHashMap<>();
        Status status = Status.UP;
        Long maxLag = settings.getMaxLag();
        for (ProjectionStatus s : engine.projectionStatus()) {
            Map<String, Object> p = projections.computeIfAbsent(s.projection(), n -> newDetail(s));
            p.merge("partitions", 1, (a, b) -> (Integer) a + (Integer) b);
            p.merge("lag", s.lag(), (a, b) -> Math.max((Long) a, (Long) b));
            p.merge("deadLetters", s.deadLetters(), (a, b) -> (Long) a + (Long) b);
            if (s.stopped()) {
                failures(p).add("partition " + s.partition() + ": " + s.failure());
                status = worse(status, stoppedStatus);
            } else if (maxLag != null && s.lag() > maxLag) {
                failures(p).add("partition " + s.partition() + ": " + s.lag() + " events behind (max-lag " + maxLag + ")");
                status = worse(status, lagStatus);
            }
        }
        return Health.status(status).withDetail("instance", engine.instanceId()).withDetail("headPosition", head)
                .withDetail("projections", projections).build();
    }

    private static Map<String, Object> newDetail(ProjectionStatus s) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mode", s.inline() ? "inline" : "async");
        return p;
    }

    @SuppressWarnings("unchecked")
    private static List<String> failures(Map<String, Object> projection) {
        return (List<String>) projection.computeIfAbsent("problems", k -> new ArrayList<String>());
    }

    private static Status worse(Status a, Status b) {
        return a == Status.DOWN || b == Status.DOWN ? Status.DOWN : b;
    }
}
