package dev.eventsource.spi;

import dev.eventsource.EventSourceException;

/**
 * A payload that cannot be turned into (or from) the Java type it should be. Names the event or
 * aggregate type and, where one is at fault, the field.
 *
 * <pre>{@code
 * throw new CodecException("OrderCreated", "amount", "required primitive double is missing");
 * // message: OrderCreated.amount: required primitive double is missing
 * }</pre>
 */
public final class CodecException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final String typeName;
    private final String field;

    /**
     * @param typeName the event type name (or aggregate stream type, for snapshots)
     * @param field the field at fault, or {@code null} when the whole document is
     * @param message what is wrong
     */
    public CodecException(String typeName, String field, String message) {
        this(typeName, field, message, null);
    }

    /** As {@link #CodecException(String, String, String)}, with the underlying cause. */
    public CodecException(String typeName, String field, String message, Throwable cause) {
        super(field == null ? typeName + ": " + message : typeName + "." + field + ": " + message, cause);
        this.typeName = typeName;
        this.field = field;
    }

    /** The event type name (or aggregate stream type, for snapshots). */
    public String typeName() {
        return typeName;
    }

    /** The field at fault, or {@code null} when the whole document is. */
    public String field() {
        return field;
    }
}
