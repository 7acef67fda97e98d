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
 * <p>Classes sharing one name with different versions are versions of one event (legacy classes
 * with upcasters, checked by {@link EventVersions}) when each of them is annotated with
 * {@code @EventType}; a class without the annotation shares its name with no other class.
 */
public final class EventNames {

    /** Who holds a stored name at one version: the event type, and whether as its name or an alias. */
    private record Claim(EventModel event, String as) {
    }

    private final Reporter reporter;
    private final Predicate<TypeElement> inThisCompilation;
    /** Claims by stored name and version ({@code name + '@' + version}). */
    private final Map<String, Claim> claims = new HashMap<>();
    /** The first claim of each stored name, whatever its version. */
    private final Map<String, Claim> firstByName = new HashMap<>();
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
        Claim sameName = firstByName.putIfAbsent(storedName, mine);
        if (first == null && sameName != null && !sameName.event().type().equals(event.type())
                && !(versioned(event) && versioned(sameName.event()))) {
            first = sameName;
        }
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
                first.event().version(), first.as(), first.event().version() == second.event().version() ? ""
                        : "; classes of one name with different versions are versions of one event only when each has"
                                + " @EventType (the highest version is then the current one, the others legacy classes"
                                + " with @Upcast methods)");
        return false;
    }

    private static boolean versioned(EventModel event) {
        return Annotations.find(event.element(), Annotations.EVENT_TYPE) != null;
    }
}
