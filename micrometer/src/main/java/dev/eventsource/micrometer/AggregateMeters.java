package dev.eventsource.micrometer;

import dev.eventsource.CommandValidationException;
import dev.eventsource.store.ConcurrencyException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one aggregate (stream) type, all registered at once when the type is first seen, so
 * every outcome shows (at 0) before it happens. Immutable; Micrometer's meters are thread-safe.
 */
final class AggregateMeters {

    static final String COMMANDS = "eventsource.commands";
    static final String RETRIES = "eventsource.commands.retries";
    static final String APPEND_COMMANDS = "eventsource.append.commands";
    static final String EVENTS_APPENDED = "eventsource.events.appended";
    static final String SNAPSHOTS = "eventsource.snapshots.written";

    private final Timer ok;
    private final Timer duplicate;
    private final Timer rejected;
    private final Timer conflict;
    private final Timer failed;
    private final Counter retries;
    private final DistributionSummary appendCommands;
    private final Counter eventsAppended;
    private final DistributionSummary snapshots;

    AggregateMeters(MeterRegistry registry, Tags common, String aggregate) {
        Tags tags = common.and("aggregate", aggregate);
        ok = command(registry, tags, "ok", false);
        duplicate = command(registry, tags, "ok", true);
        rejected = command(registry, tags, "rejected", false);
        conflict = command(registry, tags, "conflict", false);
        failed = command(registry, tags, "failed", false);
        retries = Counter.builder(RETRIES).tags(tags).baseUnit("retries")
                .description("re-runs of commands after a version conflict, counted against maxRetries")
                .register(registry);
        appendCommands = DistributionSummary.builder(APPEND_COMMANDS).tags(tags).baseUnit("commands")
                .description("commands whose events one append carried (queued commands on one aggregate share one)")
                .register(registry);
        eventsAppended = Counter.builder(EVENTS_APPENDED).tags(tags)
                .description("events appended to the store").register(registry);
        snapshots = DistributionSummary.builder(SNAPSHOTS).tags(tags).baseUnit("bytes")
                .description("snapshots written: count is writes, total is bytes").register(registry);
    }

    private static Timer command(MeterRegistry registry, Tags tags, String outcome, boolean duplicate) {
        return Timer.builder(COMMANDS).tags(tags).tag("outcome", outcome).tag("duplicate", String.valueOf(duplicate))
                .description("commands executed, from the call to its answer (retries included)").register(registry);
    }

    void completed(boolean wasDuplicate, long nanos) {
        (wasDuplicate ? duplicate : ok).record(nanos, TimeUnit.NANOSECONDS);
    }

    void failed(Throwable failure, long nanos) {
        Timer timer = failure instanceof CommandValidationException ? rejected
                : failure instanceof ConcurrencyException ? conflict : failed;
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    void retried() {
        retries.increment();
    }

    void appended(int commands, int events) {
        appendCommands.record(commands);
        eventsAppended.increment(events);
    }

    void snapshotWritten(int bytes) {
        snapshots.record(bytes);
    }
}
