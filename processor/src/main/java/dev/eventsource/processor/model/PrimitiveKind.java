package dev.eventsource.processor.model;

import com.palantir.javapoet.TypeName;

/** The eight primitive types, with the name of the {@code CodecSupport} method that reads each. */
public enum PrimitiveKind {
    BOOLEAN(TypeName.BOOLEAN, "readBoolean", "false"),
    BYTE(TypeName.BYTE, "readByte", "0"),
    SHORT(TypeName.SHORT, "readShort", "0"),
    INT(TypeName.INT, "readInt", "0"),
    LONG(TypeName.LONG, "readLong", "0L"),
    FLOAT(TypeName.FLOAT, "readFloat", "0f"),
    DOUBLE(TypeName.DOUBLE, "readDouble", "0d"),
    CHAR(TypeName.CHAR, "readChar", "'\\0'");

    private final TypeName type;
    private final String reader;
    private final String defaultValue;

    PrimitiveKind(TypeName type, String reader, String defaultValue) {
        this.type = type;
        this.reader = reader;
        this.defaultValue = defaultValue;
    }

    /** The primitive type. */
    public TypeName type() {
        return type;
    }

    /** Name of the static {@code CodecSupport} method that reads it. */
    public String reader() {
        return reader;
    }

    /** Java source of the default value (what a missing field would hold in Java). */
    public String defaultValue() {
        return defaultValue;
    }
}
