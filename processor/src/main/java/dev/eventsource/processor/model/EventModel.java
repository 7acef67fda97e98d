package dev.eventsource.processor.model;

import java.util.List;
import javax.lang.model.element.TypeElement;

/**
 * A type that gets a generated {@code EventCodec}: an event type, or a record (or final class) nested
 * in events or aggregate state. Both are read and written the same way; only events are listed in a
 * descriptor's type registry.
 *
 * @param type the record or class
 * @param codec the generated (or already compiled) {@code <Type>_Codec} class
 * @param name stable event type name ({@code @EventType(name)}, else the simple name)
 * @param version payload version ({@code @EventType(version)}, else 1)
 * @param aliases former stored names that decode as this type ({@code @EventType(aliases)}), in
 *     source order
 * @param fields the components, in constructor order
 * @param generate whether this compilation writes the codec ({@code false} when it already exists
 *     on the class path from another compilation)
 * @param element the source element, passed as originating element of the codec
 */
public record EventModel(
        ClassRef type,
        ClassRef codec,
        String name,
        int version,
        List<String> aliases,
        List<FieldModel> fields,
        boolean generate,
        TypeElement element) {

    public EventModel {
        aliases = List.copyOf(aliases);
        fields = List.copyOf(fields);
    }
}
