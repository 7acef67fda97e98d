package dev.eventsource.processor.model;

/**
 * One field of an event type, of a nested value type or of an aggregate's snapshot state.
 *
 * @param name the JSON property name: the record component or field name
 * @param type what the field holds
 * @param access how generated code reads it from an instance: {@code "id()"}, {@code "getId()"} or {@code "id"}
 * @param finalCollection a {@code final} List/Set/Map state field, restored with {@code clear()} and
 *     {@code addAll}/{@code putAll} because it cannot be assigned
 */
public record FieldModel(String name, TypeModel type, String access, boolean finalCollection) {
}
