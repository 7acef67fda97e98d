package dev.eventsource.spring.boot.internal;

import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.spring.boot.EventsourceProperties;
import dev.eventsource.spring.boot.EventsourceProperties.ProjectionProperties;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.postgres.PostgresStore;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Turns {@link EventsourceProperties} into the library's own builders and options; every value is
 * validated by them, so a bad property fails the startup with the engine's message.
 *
 * <pre>{@code
 * Engine engine = Settings.engine(properties, Settings.postgres(dataSource, properties.getPostgres())).build();
 * StreamOptions options = Settings.streamOptions(properties, "order-summary");   // null: inline
 * }</pre>
 */
public final class Settings {

    private Settings() {
    }

    /** An engine builder over {@code store} with the {@code eventsource.*} engine settings that are set. */
    public static Engine.Builder engine(EventsourceProperties p, EventStore store) {
        Engine.Builder b = Engine.builder().store(store);
        set(p.getInstanceId(), b::instanceId);
        set(p.getLeaseTimeout(), b::leaseTimeout);
        set(p.getSnapshotEvery(), b::snapshotEvery);
        set(p.getMaxRetries(), b::maxRetries);
        set(p.getAggregateCacheSize(), b::aggregateCacheSize);
        set(p.getCommandBatchSize(), b::commandBatchSize);
        set(p.getCombineQueuedCommands(), b::combineQueuedCommands);
        if (p.getRetryBackoff() != null || p.getMaxRetryBackoff() != null) {
            b.retryBackoff(Objects.requireNonNullElse(p.getRetryBackoff(), Engine.Builder.DEFAULT_RETRY_BACKOFF),
                    Objects.requireNonNullElse(p.getMaxRetryBackoff(), Engine.Builder.DEFAULT_MAX_RETRY_BACKOFF));
        }
        set(p.getSnapshotQueueSize(), b::snapshotQueueSize);
        set(p.getCloseTimeout(), b::closeTimeout);
        set(p.getUnreadableEvents(), b::unreadableEvents);
        return b;
    }

    /** A PostgreSQL store on {@code dataSource} with the {@code eventsource.postgres.*} options that are set. */
    public static PostgresStore postgres(DataSource dataSource, EventsourceProperties.Postgres p) {
        PostgresStore.Builder b = PostgresStore.builder(dataSource);
        set(p.getSchema(), b::schema);
        set(p.getTablePrefix(), b::tablePrefix);
        set(p.getReadBatchSize(), b::readBatchSize);
        set(p.getGroupCommit(), b::groupCommit);
        set(p.getGroupCommitMaxEvents(), b::groupCommitMaxEvents);
        set(p.getNotifications(), b::notifications);
        set(p.getPollInterval(), b::pollInterval);
        return b.build();
    }

    /** Passes {@code value} on unless it is unset, so the builder's default stays the one default. */
    private static <T> void set(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /** Whether the projection {@code name} is registered ({@code eventsource.projections.<name>.enabled}). */
    public static boolean enabled(EventsourceProperties p, String name) {
        return pick(find(p.getProjections(), name), p.getProjectionDefaults(), ProjectionProperties::getEnabled, true);
    }

    /**
     * The stream options of the projection {@code name} from its entry, then
     * {@code projection-defaults}, then {@link StreamOptions#named}; {@code null} when it is inline.
     */
    public static StreamOptions streamOptions(EventsourceProperties p, String name) {
        ProjectionProperties own = find(p.getProjections(), name);
        ProjectionProperties defaults = p.getProjectionDefaults();
        if (pick(own, defaults, ProjectionProperties::getInline, false)) {
            return null;
        }
        StreamOptions base = StreamOptions.named(pick(own, null, ProjectionProperties::getStream, name));
        return new StreamOptions(base.name(),
                pick(own, defaults, ProjectionProperties::getPartitions, base.partitions()),
                pick(own, defaults, ProjectionProperties::getBufferSize, base.bufferSize()),
                pick(own, defaults, ProjectionProperties::getBatchSize, base.batchSize()),
                pick(own, defaults, ProjectionProperties::getFailurePolicy, base.failurePolicy()),
                pick(own, defaults, ProjectionProperties::getMaxAttempts, base.maxAttempts()),
                pick(own, defaults, ProjectionProperties::getBackoff, base.backoff()),
                pick(own, defaults, ProjectionProperties::getMaxBackoff, base.maxBackoff()),
                pick(own, defaults, ProjectionProperties::getPollInterval, base.pollInterval()));
    }

    /** The entry for {@code name}, matched ignoring case and anything but letters and digits; {@code null} if none. */
    static ProjectionProperties find(Map<String, ProjectionProperties> entries, String name) {
        ProjectionProperties exact = entries.get(name);
        if (exact != null) {
            return exact;
        }
        String wanted = key(name);
        return entries.entrySet().stream().filter(e -> key(e.getKey()).equals(wanted)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** The form property keys and projection names are compared in: lower case, letters and digits only. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{Alnum}]", "");
    }

    private static <T> T pick(ProjectionProperties own, ProjectionProperties defaults,
            Function<ProjectionProperties, T> get, T fallback) {
        T value = own != null ? get.apply(own) : null;
        if (value == null && defaults != null) {
            value = get.apply(defaults);
        }
        return value != null ? value : fallback;
    }
}
