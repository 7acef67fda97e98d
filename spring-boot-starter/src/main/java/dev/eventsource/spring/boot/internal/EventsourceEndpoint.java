package dev.eventsource.spring.boot.internal;

import dev.eventsource.Engine;
import dev.eventsource.ProjectionStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code eventsource} actuator endpoint ({@code /actuator/eventsource}): the engine's instance
 * id, the store's head position and every projection's partitions cluster-wide, as
 * {@link Engine#projectionStatus()} reports them; {@code /actuator/eventsource/{projection}} shows
 * one projection.
 *
 * <pre>
 * {"instance":"web-1","store":"PostgresStore","headPosition":4,"projections":[{"name":"order-table",
 *   "stream":"order-table","inline":false,"lag":0,"stopped":false,"partitions":[{"partition":0,
 *   "position":4,"lag":0,"checkpoint":4,"deadLetters":0,"failure":null,"owner":"web-1",
 *   "leaseExpiresAt":"2026-12-01T17:20:26.928532Z"}, ...]}]}
 * </pre>
 *
 * <p>Thread-safe: every call reads the engine afresh.
 */
@Endpoint(id = "eventsource")
public final class EventsourceEndpoint {

    /** What the endpoint shows. */
    public record Report(String instance, String store, long headPosition, List<ProjectionReport> projections) {
    }

    /** One projection: its stream ({@code null} when inline) and its partitions. */
    public record ProjectionReport(String name, String stream, boolean inline, long lag, boolean stopped,
            List<PartitionReport> partitions) {
    }

    /**
     * One partition, as {@link ProjectionStatus} has it ({@code leaseExpiresAt} as ISO-8601 text,
     * {@code null} without a lease).
     */
    public record PartitionReport(int partition, long position, long lag, long checkpoint, long deadLetters,
            String failure, String owner, String leaseExpiresAt) {
    }

    private final Engine engine;

    public EventsourceEndpoint(Engine engine) {
        this.engine = engine;
    }

    /** The whole report. */
    @ReadOperation
    public Report report() {
        List<ProjectionStatus> statuses = engine.projectionStatus();
        return new Report(engine.instanceId(), engine.store().getClass().getSimpleName(), head(), projections(statuses));
    }

    /** One projection's report, or {@code null} (404) if there is none of that name. */
    @ReadOperation
    public ProjectionReport projection(@Selector String name) {
        return projections(engine.projectionStatus()).stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** The store's head position, or -1 when the store does not answer. */
    private long head() {
        try {
            return engine.store().headPosition();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static List<ProjectionReport> projections(List<ProjectionStatus> statuses) {
        Map<String, List<ProjectionStatus>> byName = new LinkedHashMap<>();
        statuses.forEach(s -> byName.computeIfAbsent(s.projection(), n -> new ArrayList<>()).add(s));
        List<ProjectionReport> reports = new ArrayList<>();
        byName.forEach((name, partitions) -> {
            ProjectionStatus first = partitions.get(0);
            reports.add(new ProjectionReport(name, first.stream(), first.inline(),
                    partitions.stream().mapToLong(ProjectionStatus::lag).max().orElse(0),
                    partitions.stream().anyMatch(ProjectionStatus::stopped),
                    partitions.stream().map(s -> new PartitionReport(s.partition(), s.position(), s.lag(), s.checkpoint(),
                            s.deadLetters(), s.failure(), s.owner(),
                            s.leaseExpiresAt() == null ? null : s.leaseExpiresAt().toString())).toList()));
        });
        return reports;
    }
}
