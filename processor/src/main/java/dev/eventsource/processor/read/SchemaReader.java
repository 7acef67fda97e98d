package dev.eventsource.processor.read;

import dev.eventsource.processor.model.ClassRef;
import dev.eventsource.processor.model.EventModel;
import dev.eventsource.processor.model.EventSchema;
import dev.eventsource.processor.model.FieldModel;
import dev.eventsource.processor.model.TypeModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/** Reads the JSON shape of an event type, with every enum and nested record it reaches, into an {@link EventSchema}. */
public final class SchemaReader {

    private final Function<ClassRef, EventModel> models;

    /** @param typeReader what has read the event types, and the nested records with them */
    public SchemaReader(TypeReader typeReader) {
        this.models = typeReader::model;
    }

    /**
     * The shape of {@code event} now.
     *
     * @throws IllegalStateException when a nested record has not been read (a bug: reading the
     *     event reads them all)
     */
    public EventSchema read(EventModel event) {
        Map<String, EventSchema.Definition> defs = new TreeMap<>();
        Deque<TypeModel> pending = new ArrayDeque<>();
        List<EventSchema.Property> properties = properties(event.fields(), pending::add);
        while (!pending.isEmpty()) {
            TypeModel named = pending.poll();
            if (defs.containsKey(named.canonical())) {
                continue;
            }
            if (named instanceof TypeModel.EnumRef e) {
                defs.put(named.canonical(), new EventSchema.EnumDef(named.canonical(), e.constants()));
            } else if (named instanceof TypeModel.SealedRef sealed) {
                Map<String, String> variants = new TreeMap<>();
                for (TypeModel.Variant v : sealed.variants()) {
                    variants.put(v.discriminator(), v.type().canonicalName());
                    pending.add(new TypeModel.ValueRef(v.type(), v.codec()));
                }
                defs.put(named.canonical(), new EventSchema.SealedDef(named.canonical(), variants));
            } else {
                ClassRef type = ((TypeModel.ValueRef) named).type();
                EventModel nested = models.apply(type);
                if (nested == null) {
                    throw new IllegalStateException("nested type " + type.canonicalName() + " of "
                            + event.type().canonicalName() + " was not read");
                }
                defs.put(named.canonical(), new EventSchema.RecordDef(named.canonical(),
                        properties(nested.fields(), pending::add)));
            }
        }
        return new EventSchema(event.name(), event.version(), event.aliases(), event.type().canonicalName(),
                properties, defs);
    }

    private static List<EventSchema.Property> properties(List<FieldModel> fields,
            Consumer<TypeModel> named) {
        List<EventSchema.Property> properties = new ArrayList<>();
        for (FieldModel f : fields) {
            properties.add(new EventSchema.Property(f.name(), f.type().canonical(), SchemaTypes.required(f.type()),
                    SchemaTypes.schema(f.type(), named)));
        }
        return properties;
    }
}
