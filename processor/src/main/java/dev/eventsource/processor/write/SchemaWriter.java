package dev.eventsource.processor.write;

import dev.eventsource.processor.model.EventSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders an {@link EventSchema} as the text of its schema file: a JSON Schema (draft 2020-12) with
 * the lock's own {@code x-eventsource} object and an {@code x-java} type per property. The text is
 * a function of the shape alone and diff-friendly: properties in declaration order, {@code $defs}
 * and aliases sorted, two-space indentation, one member per line (only a {@code "type"} union such
 * as {@code ["string", "null"]} stays on one line), {@code \n} line ends and a trailing newline.
 */
public final class SchemaWriter {

    static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

    private SchemaWriter() {
    }

    /** The file text of {@code schema}. */
    public static String write(EventSchema schema) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", DRAFT);
        root.put("title", schema.name() + " version " + schema.version());
        Map<String, Object> lock = new LinkedHashMap<>();
        lock.put("name", schema.name());
        lock.put("version", schema.version());
        lock.put("aliases", schema.aliases());
        lock.put("class", schema.javaClass());
        root.put("x-eventsource", lock);
        root.putAll(object(schema.properties()));
        if (!schema.defs().isEmpty()) {
            Map<String, Object> defs = new LinkedHashMap<>();
            schema.defs().forEach((name, def) -> defs.put(name, definition(def)));
            root.put("$defs", defs);
        }
        StringBuilder text = new StringBuilder();
        value(root, null, 0, text);
        return text.append('\n').toString();
    }

    private static Map<String, Object> definition(EventSchema.Definition def) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("x-java", def.java());
        if (def instanceof EventSchema.EnumDef e) {
            schema.put("enum", e.constants());
        } else if (def instanceof EventSchema.SealedDef sealed) {
            // Written as {"<discriminator>": {...}}: one object per permitted subtype, exactly one property.
            List<Object> variants = new ArrayList<>();
            sealed.variants().forEach((discriminator, java) -> {
                Map<String, Object> variant = new LinkedHashMap<>();
                variant.put("type", "object");
                variant.put("properties", Map.of(discriminator, Map.of("$ref", "#/$defs/" + java)));
                variant.put("required", List.of(discriminator));
                variant.put("additionalProperties", false);
                variants.add(variant);
            });
            schema.put("oneOf", variants);
        } else {
            schema.putAll(object(((EventSchema.RecordDef) def).properties()));
        }
        return schema;
    }

    /** {@code "type": "object"}, {@code "properties"} and, when some are, {@code "required"}. */
    private static Map<String, Object> object(List<EventSchema.Property> properties) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        Map<String, Object> byName = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (EventSchema.Property p : properties) {
            Map<String, Object> property = new LinkedHashMap<>();
            property.put("x-java", p.java());
            property.putAll(p.schema());
            byName.put(p.name(), property);
            if (p.required()) {
                required.add(p.name());
            }
        }
        schema.put("properties", byName);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }

    private static void value(Object value, String key, int depth, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            String separator = "\n";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(separator);
                indent(depth + 1, out);
                string((String) e.getKey(), out);
                out.append(": ");
                value(e.getValue(), (String) e.getKey(), depth + 1, out);
                separator = ",\n";
            }
            out.append('\n');
            indent(depth, out);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            boolean inline = "type".equals(key);
            out.append('[');
            String separator = inline ? "" : "\n";
            for (Object element : list) {
                out.append(separator);
                if (!inline) {
                    indent(depth + 1, out);
                }
                value(element, null, depth + 1, out);
                separator = inline ? ", " : ",\n";
            }
            if (!inline) {
                out.append('\n');
                indent(depth, out);
            }
            out.append(']');
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value == null) {
            out.append("null");
        } else {
            throw new IllegalStateException("not a JSON value: " + value.getClass().getName() + " " + value);
        }
    }

    private static void indent(int depth, StringBuilder out) {
        out.append("  ".repeat(depth));
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
