package dev.eventsource.processor.read;

import dev.eventsource.processor.model.PrimitiveKind;
import dev.eventsource.processor.model.TypeModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JSON Schema (draft 2020-12) of each field type: what the generated codec writes (see "JSON
 * format" in docs/processor.md). A reference type may be written as {@code null}, so its schema
 * admits {@code null}. Enums and nested records are {@code $ref}s to {@code $defs}, keyed by
 * canonical name; each one met is passed to the caller, which adds its definition. So are sealed
 * interfaces, whose definition is a {@code oneOf} of one-property objects. Map keys are JSON property
 * names whatever their Java type; the key type is part of the compared {@code x-java} text.
 *
 * <p>A new {@link TypeModel} variant needs a branch here: the chain ends in an
 * {@link IllegalStateException} naming the variant.
 */
final class SchemaTypes {

    private SchemaTypes() {
    }

    /**
     * The schema of {@code type}, as plain JSON values.
     *
     * @param named receives each enum and nested record the schema refers to
     */
    static Map<String, Object> schema(TypeModel type, Consumer<TypeModel> named) {
        if (type instanceof TypeModel.Primitive p) {
            return primitive(p.kind(), p.boxed());
        }
        if (type instanceof TypeModel.Scalar s) {
            return switch (s.kind()) {
                case STRING -> nullable("string");
                case BIG_DECIMAL -> nullable("number");
                case BIG_INTEGER -> nullable("integer");
                case UUID -> with(nullable("string"), "format", "uuid");
                case INSTANT, OFFSET_DATE_TIME -> with(nullable("string"), "format", "date-time");
                case LOCAL_DATE -> with(nullable("string"), "format", "date");
                case LOCAL_DATE_TIME -> nullable("string");
                case DURATION, PERIOD -> with(nullable("string"), "format", "duration");
                case BYTES -> with(nullable("string"), "contentEncoding", "base64");
                case LOCAL_TIME, OFFSET_TIME, ZONED_DATE_TIME, YEAR_MONTH, MONTH_DAY, ZONE_ID, CURRENCY ->
                        nullable("string");
                case YEAR -> nullable("integer");
                case URI -> with(nullable("string"), "format", "uri");
            };
        }
        if (type instanceof TypeModel.PrimitiveArray a) {
            // char[] is one string; the others are arrays of the element's JSON type.
            return a.kind() == PrimitiveKind.CHAR ? nullable("string")
                    : with(nullable("array"), "items", primitive(a.kind(), false));
        }
        if (type instanceof TypeModel.EnumRef || type instanceof TypeModel.ValueRef
                || type instanceof TypeModel.SealedRef) {
            named.accept(type);
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("anyOf", List.of(Map.of("$ref", "#/$defs/" + type.canonical()), Map.of("type", "null")));
            return schema;
        }
        if (type instanceof TypeModel.ListOf l) {
            return with(nullable("array"), "items", schema(l.element(), named));
        }
        if (type instanceof TypeModel.SetOf s) {
            return with(with(nullable("array"), "items", schema(s.element(), named)), "uniqueItems", true);
        }
        if (type instanceof TypeModel.MapOf m) {
            return with(nullable("object"), "additionalProperties", schema(m.value(), named));
        }
        if (type instanceof TypeModel.OptionalOf o) {
            // Written as the value or null: the element's schema, which admits null already.
            return schema(o.element(), named);
        }
        throw new IllegalStateException("no JSON Schema for field type " + type.canonical() + " (" + type
                + "); add a branch for " + type.getClass().getSimpleName() + " to SchemaTypes");
    }

    /** Whether the property must be present in every stored event: a primitive has no default to read. */
    static boolean required(TypeModel type) {
        return type instanceof TypeModel.Primitive p && !p.boxed();
    }

    private static Map<String, Object> primitive(PrimitiveKind kind, boolean boxed) {
        String json = switch (kind) {
            case BOOLEAN -> "boolean";
            case BYTE, SHORT, INT, LONG -> "integer";
            case FLOAT, DOUBLE -> "number";
            case CHAR -> "string";
        };
        Map<String, Object> schema = boxed ? nullable(json) : with(new LinkedHashMap<>(), "type", json);
        if (kind == PrimitiveKind.CHAR) {
            with(with(schema, "minLength", 1), "maxLength", 1);
        }
        return schema;
    }

    private static Map<String, Object> nullable(String json) {
        return with(new LinkedHashMap<>(), "type", List.of(json, "null"));
    }

    private static Map<String, Object> with(Map<String, Object> schema, String key, Object value) {
        schema.put(key, value);
        return schema;
    }
}
