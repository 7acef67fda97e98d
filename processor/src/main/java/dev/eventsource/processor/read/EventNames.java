package dev.eventsource.processor.read;

import dev.eventsource.processor.model.EventModel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.lang.model.element.TypeElement;

/**
 * The stored event names (stable names and aliases) of every event type seen in one compilation, so
 * two event types that would decode from one stored name are a compile error
 * ({@link Message#EVENT_TYPE_NAME_CLASH}) instead of a run-time one when the engine registers them.
 *
 * <p>Only types of the same version clash: several classes sharing one name with different versions
 * are left for versioned events (legacy classes with upcasters) and are reported by nothing here.
 */
public final class EventNames {

    /** Who holds a stored name at one version: the event type, and whether as its name or an alias. */
    private record Claim(EventModel event, String as) {
    }

    private final Reporter reporter;
    private final Predicate<TypeElement> inThisCompilation;
    /** Claims by stored name and version ({@code name + '@' + version}). */
    private final Map<String, Claim> claims = new HashMap<>();
    /** Event types already checked (qualified names): an event handled in many places is checked once. */
    private final Set<String> seen = new HashSet<>();

    public EventNames(Reporter reporter, Predicate<TypeElement> inThisCompilation) {
        this.reporter = reporter;
        this.inThisCompilation = inThisCompilation;
    }

    /**
     * Claims the stored names of {@code events}; reports each clash with a type claimed before, on the
     * type compiled from source (the later one when both are).
     *
     * @return false when one of them clashed
     */
    public boolean claim(List<EventModel> events) {
        boolean ok = true;
        for (EventModel event : events) {
            if (!seen.add(event.type().canonicalName())) {
                continue;
            }
            ok &= claim(event, event.name(), "stable name");
            for (String alias : event.aliases()) {
                ok &= claim(event, alias, "alias");
            }
        }
        return ok;
    }

    private boolean claim(EventModel event, String storedName, String as) {
        Claim mine = new Claim(event, as);
        Claim first = claims.putIfAbsent(storedName + '@' + event.version(), mine);
        if (first == null || first.event().type().equals(event.type())) {
            return true;
        }
        Claim second = mine;
        if (!inThisCompilation.test(event.element()) && inThisCompilation.test(first.event().element())) {
            second = first;
            first = mine;
        }
        reporter.report(Message.EVENT_TYPE_NAME_CLASH, second.event().element(), second.event().type().canonicalName(),
                second.event().version(), storedName, second.as(), first.event().type().canonicalName(),
                first.event().version(), first.as());
        return false;
    }
}
