package dev.eventsource.processor.model;

import java.util.Locale;

/** The eight primitive types; the writer decides how each is read and written. */
public enum PrimitiveKind {
    BOOLEAN("java.lang.Boolean"),
    BYTE("java.lang.Byte"),
    SHORT("java.lang.Short"),
    INT("java.lang.Integer"),
    LONG("java.lang.Long"),
    FLOAT("java.lang.Float"),
    DOUBLE("java.lang.Double"),
    CHAR("java.lang.Character");

    private final String box;

    PrimitiveKind(String box) {
        this.box = box;
    }

    /** The keyword, e.g. {@code int}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The qualified name of the box, e.g. {@code java.lang.Integer}. */
    public String box() {
        return box;
    }
}
