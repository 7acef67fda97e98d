package dev.eventsource.processor.read;

import dev.eventsource.processor.model.EventSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a schema file the schema lock wrote back into an {@link EventSchema}: the
 * {@code x-eventsource} object, each property's {@code x-java} type and schema, {@code required},
 * and the records and enums of {@code $defs}.
 */
public final class SchemaFileReader {

    /** The file is not JSON, or not a schema the lock wrote; the message says what is wrong and where. */
    public static final class UnreadableException extends IllegalArgumentException {
        UnreadableException(String message) {
            super(message);
        }
    }

    private SchemaFileReader() {
    }

    /**
     * The shape {@code text} records.
     *
     * @throws UnreadableException when it is not JSON, or lacks what the lock writes
     */
    public static EventSchema read(String text) {
        Object json;
        try {
            json = JsonText.parse(text);
        } catch (JsonText.SyntaxException e) {
            throw new UnreadableException("not valid JSON: " + e.getMessage());
        }
        Map<String, Object> root = object(json, "the file");
        Map<String, Object> lock = object(root.get("x-eventsource"), "\"x-eventsource\"");
        String name = string(lock.get("name"), "\"x-eventsource\".\"name\"");
        if (!(lock.get("version") instanceof Long version) || version < 1 || version > Integer.MAX_VALUE) {
            throw new UnreadableException("\"x-eventsource\".\"version\" must be a positive integer, not "
                    + describe(lock.get("version")));
        }
        List<String> aliases = new ArrayList<>();
        for (Object alias : array(lock.getOrDefault("aliases", List.of()), "\"x-eventsource\".\"aliases\"")) {
            aliases.add(string(alias, "an alias"));
        }
        String javaClass = string(lock.get("class"), "\"x-eventsource\".\"class\"");
        List<EventSchema.Property> properties = properties(root, "the event");
        Map<String, EventSchema.Definition> defs = new TreeMap<>();
        for (Map.Entry<String, Object> def : object(root.getOrDefault("$defs", Map.of()), "\"$defs\"").entrySet()) {
            String where = "\"$defs\".\"" + def.getKey() + "\"";
            Map<String, Object> schema = object(def.getValue(), where);
            String java = string(schema.get("x-java"), where + ".\"x-java\"");
            if (schema.containsKey("enum")) {
                List<String> constants = new ArrayList<>();
                for (Object constant : array(schema.get("enum"), where + ".\"enum\"")) {
                    constants.add(string(constant, "an enum constant of " + where));
                }
                defs.put(def.getKey(), new EventSchema.EnumDef(java, constants));
            } else if (schema.containsKey("oneOf")) {
                defs.put(def.getKey(), new EventSchema.SealedDef(java, variants(schema.get("oneOf"), where)));
            } else {
                defs.put(def.getKey(), new EventSchema.RecordDef(java, properties(schema, where)));
            }
        }
        return new EventSchema(name, version.intValue(), aliases, javaClass, properties, defs);
    }

    /** A sealed def's {@code oneOf}: each a one-property object whose value refers to the subtype's def. */
    private static Map<String, String> variants(Object oneOf, String where) {
        Map<String, String> variants = new TreeMap<>();
        for (Object variant : array(oneOf, where + ".\"oneOf\"")) {
            Map<String, Object> properties = object(object(variant, "a variant of " + where).get("properties"),
                    "the properties of a variant of " + where);
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                String ref = string(object(p.getValue(), "variant \"" + p.getKey() + "\" of " + where).get("$ref"),
                        "the $ref of variant \"" + p.getKey() + "\" of " + where);
                variants.put(p.getKey(), ref.substring(ref.lastIndexOf('/') + 1));
            }
        }
        return variants;
    }

    private static List<EventSchema.Property> properties(Map<String, Object> object, String where) {
        List<Object> required = array(object.getOrDefault("required", List.of()), where + " \"required\"");
        List<EventSchema.Property> properties = new ArrayList<>();
        Map<String, Object> all = object(object.getOrDefault("properties", Map.of()), where + " \"properties\"");
        for (Map.Entry<String, Object> p : all.entrySet()) {
            String at = where + " property \"" + p.getKey() + "\"";
            Map<String, Object> schema = new LinkedHashMap<>(object(p.getValue(), at));
            String java = string(schema.remove("x-java"), at + " \"x-java\"");
            properties.add(new EventSchema.Property(p.getKey(), java, required.contains(p.getKey()), schema));
        }
        return properties;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new UnreadableException(what + " must be an object, not " + describe(value));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(Object value, String what) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new UnreadableException(what + " must be an array, not " + describe(value));
    }

    private static String string(Object value, String what) {
        if (value instanceof String s) {
            return s;
        }
        throw new UnreadableException(what + " must be a string, not " + describe(value));
    }

    private static String describe(Object value) {
        return value == null ? "missing or null" : value instanceof String s ? "\"" + s + "\"" : value.toString();
    }
}
