package dev.eventsource.internal;

import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.store.StoredEventType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The start check: which stored (stream type, event type, version) combinations this build cannot
 * read. A combination of a registered aggregate's stream type must name an event type the aggregate
 * applies (by name or alias) at a version its codec reads; any other combination whose event type a
 * registered aggregate or projection knows must be at a version that codec reads. Combinations of
 * unregistered stream types and unknown event types belong to someone else and are not checked.
 *
 * <pre>{@code
 * List<StoredTypesCheck.Unreadable> problems = StoredTypesCheck.unreadable(store.storedEventTypes(), byStreamType, registry);
 * if (!problems.isEmpty()) throw new UnreadableEventsException(..., StoredTypesCheck.message(problems, "..."));
 * }</pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class StoredTypesCheck {

    private StoredTypesCheck() {
    }

    /**
     * One stored combination this build cannot read.
     *
     * @param type the combination
     * @param reason what this build reads instead, and the fix
     */
    public record Unreadable(StoredEventType type, String reason) {
    }

    /**
     * The combinations of {@code stored} this build cannot read, sorted.
     *
     * @param aggregates the registered aggregates by stream type
     * @param registry every event type the registered aggregates and projections know
     */
    public static List<Unreadable> unreadable(Collection<StoredEventType> stored, Map<String, AggregateDescriptor<?>> aggregates,
            EventRegistry registry) {
        List<Unreadable> problems = new ArrayList<>();
        for (StoredEventType t : stored.stream().sorted().toList()) {
            AggregateDescriptor<?> aggregate = aggregates.get(t.streamType());
            EventCodec<?> codec = aggregate != null ? aggregate.codec(t.eventType()) : registry.codec(t.eventType());
            String reason;
            if (codec != null) {
                reason = versionProblem(t, codec);
            } else if (aggregate != null) {
                reason = "aggregate " + aggregate.type().getName() + " applies no event type '" + t.eventType() + "' (it reads "
                        + aggregate.eventCodecs().stream().map(StoredTypesCheck::reads).toList() + "); if the type was renamed,"
                        + " add @EventType(aliases = \"" + t.eventType() + "\") to the class it became; if a newer build of"
                        + " the application records it, deploy that build here";
            } else {
                reason = null;                                   // another application's stream type and event type
            }
            if (reason != null) {
                problems.add(new Unreadable(t, reason));
            }
        }
        return problems;
    }

    private static String versionProblem(StoredEventType t, EventCodec<?> codec) {
        int version = t.eventVersion();
        if (version >= codec.oldestVersion() && version <= codec.version()) {
            return null;
        }
        String readBy = codec.type().getName() + " reads " + reads(codec);
        return version > codec.version()
                ? readBy + "; version " + version + " was written by a newer build of the application: deploy that build here"
                : readBy + "; add a legacy class @EventType(name = \"" + codec.name() + "\", version = " + version
                        + ") with an @Upcast method to version " + (version + 1);
    }

    /** {@code Name v2} or {@code Name v1..v3}. */
    private static String reads(EventCodec<?> codec) {
        return codec.name() + (codec.oldestVersion() == codec.version() ? " v" + codec.version()
                : " v" + codec.oldestVersion() + "..v" + codec.version());
    }

    /** The message of a refusal or warning: {@code intro}, then one line per combination. */
    public static String message(List<Unreadable> problems, String intro) {
        StringBuilder sb = new StringBuilder(intro);
        for (Unreadable u : problems) {
            sb.append("\n  - ").append(u.type()).append(": ").append(u.reason());
        }
        return sb.toString();
    }
}
