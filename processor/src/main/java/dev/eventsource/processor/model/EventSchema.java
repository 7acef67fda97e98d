package dev.eventsource.processor.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recorded JSON shape of one event type at one version: what the schema lock keeps in
 * {@code <dir>/<name>/v<version>.schema.json} and compares on every compile. Read from an
 * {@link EventModel} (the shape now) or from the file (the shape recorded).
 *
 * @param name the stable event type name
 * @param version the payload version
 * @param aliases the aliases, sorted (their order means nothing)
 * @param javaClass the canonical name of the class that had this shape
 * @param properties the event's fields, in declaration order
 * @param defs the enums and nested records the fields refer to, directly or through other nested
 *     records, by canonical name, sorted
 */
public record EventSchema(
        String name,
        int version,
        List<String> aliases,
        String javaClass,
        List<Property> properties,
        Map<String, Definition> defs) {

    public EventSchema {
        List<String> sorted = new ArrayList<>(aliases);
        Collections.sort(sorted);
        aliases = List.copyOf(sorted);
        properties = List.copyOf(properties);
        defs = Collections.unmodifiableSortedMap(new TreeMap<>(defs));
    }

    /**
     * One field.
     *
     * @param name the JSON property name
     * @param java the field's Java type as {@link TypeModel#canonical()} spells it: what is compared
     * @param required whether the property must be present (a primitive)
     * @param schema the JSON Schema of the value, as plain JSON values ({@code Map} in key order,
     *     {@code List}, {@code String}, {@code Number}, {@code Boolean})
     */
    public record Property(String name, String java, boolean required, Map<String, Object> schema) {
        public Property {
            schema = Collections.unmodifiableMap(new LinkedHashMap<>(schema));
        }
    }

    /** An entry of {@code $defs}: a nested record, an enum or a sealed interface. */
    public sealed interface Definition {
        /** The canonical Java name of the type. */
        String java();
    }

    /** A nested record (or final value class) and its fields, in declaration order. */
    public record RecordDef(String java, List<Property> properties) implements Definition {
        public RecordDef {
            properties = List.copyOf(properties);
        }
    }

    /**
     * A sealed interface used as a field type, and what each permitted subtype is written under.
     *
     * @param variants discriminator to the subtype's canonical name, sorted by discriminator
     */
    public record SealedDef(String java, Map<String, String> variants) implements Definition {
        public SealedDef {
            variants = Collections.unmodifiableSortedMap(new TreeMap<>(variants));
        }
    }

    /** An enum and its constants, in declaration order. */
    public record EnumDef(String java, List<String> constants) implements Definition {
        public EnumDef {
            constants = List.copyOf(constants);
        }
    }

    /**
     * One difference between a recorded shape and the shape now.
     *
     * @param path what changed: a field ({@code amount}), a field of a nested record
     *     ({@code com.acme.Line.quantity}), an enum, {@code aliases} or {@code class}
     * @param before the recorded value, or {@code (absent)}
     * @param after the value now, or {@code (removed)}
     * @param incompatible why events stored under the recorded shape could not be read any more, or
     *     {@code null} for a compatible change
     */
    public record Change(String path, String before, String after, String incompatible) {

        public boolean compatible() {
            return incompatible == null;
        }

        @Override
        public String toString() {
            return path + ": " + before + " -> " + after + (incompatible == null ? "" : " (" + incompatible + ")");
        }
    }
}
