package dev.eventsource.processor.read;

import dev.eventsource.processor.model.EventSchema;
import dev.eventsource.processor.model.EventSchema.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The differences between a recorded shape and the shape now, each compatible or not. Compatible:
 * what the generated codec reads from events stored under the recorded shape (a removed field is
 * skipped, an added non-primitive field reads as {@code null} or empty, an added enum constant never
 * occurs in them, renamed aliases or classes do not change the JSON). Incompatible: a field whose
 * Java type changed, an added primitive field (stored events have no value for it), a removed enum
 * constant or subtype of a sealed field type (stored events may hold it); in the event or in any
 * nested record it reaches. An added subtype is compatible, like an added enum constant.
 */
public final class SchemaComparator {

    static final String ABSENT = "(absent)";
    static final String REMOVED = "(removed)";

    private SchemaComparator() {
    }

    /** The differences, the event's own first, then nested types by name; empty when the shapes are the same. */
    public static List<Change> compare(EventSchema before, EventSchema now) {
        List<Change> changes = new ArrayList<>();
        if (!before.aliases().equals(now.aliases())) {
            changes.add(new Change("aliases", before.aliases().toString(), now.aliases().toString(), null));
        }
        if (!before.javaClass().equals(now.javaClass())) {
            changes.add(new Change("class", before.javaClass(), now.javaClass(), null));
        }
        properties("", before.properties(), now.properties(), changes);
        for (Map.Entry<String, EventSchema.Definition> old : before.defs().entrySet()) {
            EventSchema.Definition current = now.defs().get(old.getKey());
            if (current != null) {
                definition(old.getKey(), old.getValue(), current, changes);
            }
        }
        return changes;
    }

    private static void definition(String name, EventSchema.Definition before, EventSchema.Definition now,
            List<Change> changes) {
        if (before instanceof EventSchema.RecordDef r && now instanceof EventSchema.RecordDef n) {
            properties(name + ".", r.properties(), n.properties(), changes);
        } else if (before instanceof EventSchema.EnumDef e && now instanceof EventSchema.EnumDef n) {
            for (String constant : e.constants()) {
                if (!n.constants().contains(constant)) {
                    changes.add(new Change(name + "." + constant, "enum constant", REMOVED,
                            "stored events may hold it, and it no longer reads"));
                }
            }
            for (String constant : n.constants()) {
                if (!e.constants().contains(constant)) {
                    changes.add(new Change(name + "." + constant, ABSENT, "enum constant", null));
                }
            }
        } else if (before instanceof EventSchema.SealedDef e && now instanceof EventSchema.SealedDef n) {
            e.variants().forEach((discriminator, java) -> {
                String current = n.variants().get(discriminator);
                if (current == null) {
                    changes.add(new Change(name + "." + discriminator, "subtype " + java, REMOVED,
                            "stored events may hold it, and it no longer reads"));
                } else if (!current.equals(java)) {
                    changes.add(new Change(name + "." + discriminator, "subtype " + java, "subtype " + current, null));
                }
            });
            n.variants().forEach((discriminator, java) -> {
                if (!e.variants().containsKey(discriminator)) {
                    changes.add(new Change(name + "." + discriminator, ABSENT, "subtype " + java, null));
                }
            });
        } else {
            changes.add(new Change(name, kind(before), kind(now), "stored events hold the other kind of value"));
        }
    }

    private static void properties(String prefix, List<EventSchema.Property> before, List<EventSchema.Property> now,
            List<Change> changes) {
        Map<String, EventSchema.Property> current = new LinkedHashMap<>();
        for (EventSchema.Property p : now) {
            current.put(p.name(), p);
        }
        for (EventSchema.Property old : before) {
            EventSchema.Property p = current.remove(old.name());
            if (p == null) {
                changes.add(new Change(prefix + old.name(), old.java(), REMOVED, null));
            } else if (!p.java().equals(old.java())) {
                changes.add(new Change(prefix + old.name(), old.java(), p.java(),
                        "the type changed, and stored events hold the old one"));
            } else if (p.required() != old.required()) {
                changes.add(new Change(prefix + old.name(), requiredness(old), requiredness(p),
                        p.required() ? "stored events may lack it" : null));
            }
        }
        for (EventSchema.Property added : current.values()) {
            changes.add(new Change(prefix + added.name(), ABSENT, added.java(), added.required()
                    ? "a primitive, and stored events have no value for it; make it boxed or Optional" : null));
        }
    }

    private static String requiredness(EventSchema.Property p) {
        return p.java() + (p.required() ? " (required)" : " (optional)");
    }

    private static String kind(EventSchema.Definition d) {
        String kind = d instanceof EventSchema.EnumDef ? "enum " : d instanceof EventSchema.SealedDef ? "sealed " : "record ";
        return kind + d.java();
    }
}
