package dev.eventsource.spring.boot;

import dev.eventsource.StreamOptions;
import dev.eventsource.UnreadableEvents;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code eventsource.*} settings of the auto-configured {@code Engine}, its store, the projection
 * beans and the health indicator. Every property is optional. An unset engine, store or projection
 * setting is not passed on, so the default is the library's own (named in each description).
 *
 * <pre>
 * eventsource.instance-id=web-1
 * eventsource.postgres.schema=shop
 * eventsource.projections.order-summary.partitions=4
 * eventsource.health.max-lag=10000
 * </pre>
 */
@ConfigurationProperties("eventsource")
public class EventsourceProperties {

    /**
     * Which event store the engine runs on; by default PostgreSQL when the application has a
     * DataSource, else in memory: {@code eventsource.store=memory}.
     */
    public enum StoreType {
        /** PostgreSQL if a {@code DataSource} bean exists, else in memory. */
        AUTO,
        /** {@code PostgresStore} on the application's {@code DataSource} (startup fails without one). */
        POSTGRES,
        /** {@code InMemoryStore}: events live as long as the process (tests, development). */
        MEMORY
    }

    /**
     * The event store: 'postgres' (PostgresStore on the application's DataSource), 'memory'
     * (InMemoryStore) or 'auto' (postgres when a DataSource bean exists, else memory).
     */
    private StoreType store = StoreType.AUTO;

    /**
     * This engine's id among the instances sharing the store, unique among live instances (default
     * host name + ':' + pid).
     */
    private String instanceId;

    /**
     * How long a partition stays this instance's without a heartbeat (the heartbeat runs every fifth
     * of it); 100 ms to 10 minutes (default 10s).
     */
    private Duration leaseTimeout;

    /** Events between snapshots for aggregates without @Aggregate(snapshotEvery); 0 takes none (default 100). */
    private Integer snapshotEvery;

    /** Times a command is run again after a version conflict before it fails with ConcurrencyException (default 3). */
    private Integer maxRetries;

    /** Loaded aggregates kept in memory per aggregate type between commands; 0 turns the cache off (default 10000). */
    private Integer aggregateCacheSize;

    /** Longest pause before the first retry after a conflict with another writer, doubling per retry (default 1ms). */
    private Duration retryBackoff;

    /** Cap of the pause between retries after conflicts with other writers (default 50ms). */
    private Duration maxRetryBackoff;

    /** Commands queued on one aggregate that may share one append; 1 appends each alone (default 128). */
    private Integer commandBatchSize;

    /**
     * Whether queued commands on one aggregate run on the thread that holds it instead of each on its
     * caller's thread: faster on hot aggregates, but thread-locals are that thread's (default false).
     */
    private Boolean combineQueuedCommands;

    /** Snapshots that may wait for the background writer before new ones are skipped (default 1024). */
    private Integer snapshotQueueSize;

    /**
     * How long closing the engine on shutdown waits for each step (commands in flight, projections
     * catching up, snapshots); events not handled by then are handled after a restart (default 30s).
     */
    private Duration closeTimeout;

    /**
     * What starting the engine does when the store holds events this build cannot read: 'refuse'
     * (fail the startup, the default) or 'warn' (log and start).
     */
    private UnreadableEvents unreadableEvents;

    /** Whether every aggregate with a generated descriptor on the class path is registered with the engine. */
    private boolean registerAggregates = true;

    /** Whether projection beans (@Projection classes, Projection, TransactionalProjection) are registered with the engine. */
    private boolean registerProjections = true;

    /**
     * Whether the engine is started (its asynchronous projections run) when the application context
     * starts; with false nothing is registered or started automatically.
     */
    private boolean autoStart = true;

    /** The PostgreSQL store's options (used when the store is PostgreSQL). */
    private final Postgres postgres = new Postgres();

    /** Settings every projection bean gets unless its own entry under eventsource.projections sets them. */
    private final ProjectionProperties projectionDefaults = new ProjectionProperties();

    /**
     * Per projection bean, by projection name (@Projection(name), Projection.name(), default the simple
     * class name; matched ignoring case and dashes, so OrderSummary and order-summary are one).
     */
    private final Map<String, ProjectionProperties> projections = new LinkedHashMap<>();

    /** The 'eventsource' health indicator's thresholds. */
    private final Health health = new Health();

    /** Micrometer metrics of the engine (when micrometer-core is on the class path and a MeterRegistry bean exists). */
    private final Metrics metrics = new Metrics();

    /** OpenTelemetry tracing of the engine (when opentelemetry-api is on the class path and an OpenTelemetry bean exists). */
    private final Tracing tracing = new Tracing();

    public StoreType getStore() {
        return store;
    }

    public void setStore(StoreType store) {
        this.store = store;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public Duration getLeaseTimeout() {
        return leaseTimeout;
    }

    public void setLeaseTimeout(Duration leaseTimeout) {
        this.leaseTimeout = leaseTimeout;
    }

    public Integer getSnapshotEvery() {
        return snapshotEvery;
    }

    public void setSnapshotEvery(Integer snapshotEvery) {
        this.snapshotEvery = snapshotEvery;
    }

    public Integer getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public Integer getAggregateCacheSize() {
        return aggregateCacheSize;
    }

    public void setAggregateCacheSize(Integer aggregateCacheSize) {
        this.aggregateCacheSize = aggregateCacheSize;
    }

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public Duration getMaxRetryBackoff() {
        return maxRetryBackoff;
    }

    public void setMaxRetryBackoff(Duration maxRetryBackoff) {
        this.maxRetryBackoff = maxRetryBackoff;
    }

    public Integer getCommandBatchSize() {
        return commandBatchSize;
    }

    public void setCommandBatchSize(Integer commandBatchSize) {
        this.commandBatchSize = commandBatchSize;
    }

    public Boolean getCombineQueuedCommands() {
        return combineQueuedCommands;
    }

    public void setCombineQueuedCommands(Boolean combineQueuedCommands) {
        this.combineQueuedCommands = combineQueuedCommands;
    }

    public Integer getSnapshotQueueSize() {
        return snapshotQueueSize;
    }

    public void setSnapshotQueueSize(Integer snapshotQueueSize) {
        this.snapshotQueueSize = snapshotQueueSize;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public UnreadableEvents getUnreadableEvents() {
        return unreadableEvents;
    }

    public void setUnreadableEvents(UnreadableEvents unreadableEvents) {
        this.unreadableEvents = unreadableEvents;
    }

    public boolean isRegisterAggregates() {
        return registerAggregates;
    }

    public void setRegisterAggregates(boolean registerAggregates) {
        this.registerAggregates = registerAggregates;
    }

    public boolean isRegisterProjections() {
        return registerProjections;
    }

    public void setRegisterProjections(boolean registerProjections) {
        this.registerProjections = registerProjections;
    }

    public boolean isAutoStart() {
        return autoStart;
    }

    public void setAutoStart(boolean autoStart) {
        this.autoStart = autoStart;
    }

    public Postgres getPostgres() {
        return postgres;
    }

    public ProjectionProperties getProjectionDefaults() {
        return projectionDefaults;
    }

    public Map<String, ProjectionProperties> getProjections() {
        return projections;
    }

    public Health getHealth() {
        return health;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Tracing getTracing() {
        return tracing;
    }

    /**
     * The {@code eventsource.postgres.*} options of the PostgreSQL store.
     *
     * <pre>
     * eventsource.postgres.schema=shop
     * eventsource.postgres.read-batch-size=2000
     * </pre>
     */
    public static class Postgres {

        /** Schema of the store's tables, created if missing; a lower-case identifier (default public). */
        private String schema;

        /** Prepended to every table name; a lower-case identifier or empty (default es_). */
        private String tablePrefix;

        /** Most rows one read query returns, 1 to 100000 (default 1000). */
        private Integer readBatchSize;

        /** Whether concurrent appends of this process share one transaction and one disk flush (default true). */
        private Boolean groupCommit;

        /** Most events one group commit transaction takes (default 1000). */
        private Integer groupCommitMaxEvents;

        /** Whether appends send pg_notify and readers LISTEN; off: readers poll (default true). */
        private Boolean notifications;

        /** How often readers poll without notifications, and the longest reconnect backoff (default 500ms). */
        private Duration pollInterval;

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public Integer getReadBatchSize() {
            return readBatchSize;
        }

        public void setReadBatchSize(Integer readBatchSize) {
            this.readBatchSize = readBatchSize;
        }

        public Boolean getGroupCommit() {
            return groupCommit;
        }

        public void setGroupCommit(Boolean groupCommit) {
            this.groupCommit = groupCommit;
        }

        public Integer getGroupCommitMaxEvents() {
            return groupCommitMaxEvents;
        }

        public void setGroupCommitMaxEvents(Integer groupCommitMaxEvents) {
            this.groupCommitMaxEvents = groupCommitMaxEvents;
        }

        public Boolean getNotifications() {
            return notifications;
        }

        public void setNotifications(Boolean notifications) {
            this.notifications = notifications;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }
    }

    /**
     * How one projection bean is registered: asynchronous with these {@code StreamOptions} (the
     * default), inline, or not at all. An unset value falls back to
     * {@code eventsource.projection-defaults}, then to the engine's default.
     *
     * <pre>
     * eventsource.projection-defaults.max-attempts=5
     * eventsource.projections.order-summary.partitions=8
     * eventsource.projections.mailer.failure-policy=stop-partition
     * eventsource.projections.local-cache.inline=true
     * </pre>
     */
    public static class ProjectionProperties {

        /** Whether the bean is registered with the engine (default true). */
        private Boolean enabled;

        /**
         * Whether it runs inline, on the command thread, instead of asynchronously (default false: an
         * inline projection sees only its own instance's commands).
         */
        private Boolean inline;

        /** Name of its stream (threads, logs, status); default the projection name (not read from projection-defaults). */
        private String stream;

        /** Partition workers, 1 to 1024 (default 1). */
        private Integer partitions;

        /** Events queued per partition; a full queue slows the reader, never drops (default 1024). */
        private Integer bufferSize;

        /** Events read from the store's log at once (default 512). */
        private Integer batchSize;

        /** What happens to an event it keeps failing on: 'dead-letter' (default) or 'stop-partition'. */
        private StreamOptions.FailurePolicy failurePolicy;

        /** Tries per event before the failure policy applies (default 3). */
        private Integer maxAttempts;

        /** Wait after the first failed try, doubling after each further one (default 10ms). */
        private Duration backoff;

        /** Longest wait between tries (default 1s). */
        private Duration maxBackoff;

        /** How often the reader looks for events when the store does not wake it (default 100ms). */
        private Duration pollInterval;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Boolean getInline() {
            return inline;
        }

        public void setInline(Boolean inline) {
            this.inline = inline;
        }

        public String getStream() {
            return stream;
        }

        public void setStream(String stream) {
            this.stream = stream;
        }

        public Integer getPartitions() {
            return partitions;
        }

        public void setPartitions(Integer partitions) {
            this.partitions = partitions;
        }

        public Integer getBufferSize() {
            return bufferSize;
        }

        public void setBufferSize(Integer bufferSize) {
            this.bufferSize = bufferSize;
        }

        public Integer getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(Integer batchSize) {
            this.batchSize = batchSize;
        }

        public StreamOptions.FailurePolicy getFailurePolicy() {
            return failurePolicy;
        }

        public void setFailurePolicy(StreamOptions.FailurePolicy failurePolicy) {
            this.failurePolicy = failurePolicy;
        }

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBackoff() {
            return backoff;
        }

        public void setBackoff(Duration backoff) {
            this.backoff = backoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }
    }

    /**
     * The {@code eventsource.health.*} thresholds of the 'eventsource' health indicator.
     *
     * <pre>
     * eventsource.health.max-lag=10000
     * eventsource.health.stopped-status=OUT_OF_SERVICE
     * </pre>
     */
    public static class Health {

        /** Lag (events of the log a partition still has to read past) above which health is 'lag-status'; unset: lag never counts. */
        private Long maxLag;

        /** Status when a partition lags beyond max-lag: DOWN or OUT_OF_SERVICE. */
        private String lagStatus = "OUT_OF_SERVICE";

        /** Status when a partition stopped on a failure (or never started): DOWN or OUT_OF_SERVICE. */
        private String stoppedStatus = "DOWN";

        public Long getMaxLag() {
            return maxLag;
        }

        public void setMaxLag(Long maxLag) {
            this.maxLag = maxLag;
        }

        public String getLagStatus() {
            return lagStatus;
        }

        public void setLagStatus(String lagStatus) {
            this.lagStatus = lagStatus;
        }

        public String getStoppedStatus() {
            return stoppedStatus;
        }

        public void setStoppedStatus(String stoppedStatus) {
            this.stoppedStatus = stoppedStatus;
        }
    }

    /**
     * The {@code eventsource.metrics.*} settings: the engine's Micrometer meters, made when
     * micrometer-core is on the class path and a {@code MeterRegistry} bean exists.
     *
     * <pre>
     * eventsource.metrics.status-interval=5s
     * </pre>
     */
    public static class Metrics {

        /** Whether the engine's meters (eventsource.commands, eventsource.projection.lag, ...) are registered. */
        private boolean enabled = true;

        /** How long one projection status snapshot serves the projection gauges (it may read the store). */
        private Duration statusInterval = Duration.ofSeconds(1);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getStatusInterval() {
            return statusInterval;
        }

        public void setStatusInterval(Duration statusInterval) {
            this.statusInterval = statusInterval;
        }
    }

    /**
     * The {@code eventsource.tracing.*} settings: spans of commands and projection batches, made when
     * opentelemetry-api is on the class path and an {@code OpenTelemetry} bean exists.
     *
     * <pre>
     * eventsource.tracing.enabled=false
     * </pre>
     */
    public static class Tracing {

        /** Whether commands and projection batches are traced (a span each, the trace context stored with the events). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
