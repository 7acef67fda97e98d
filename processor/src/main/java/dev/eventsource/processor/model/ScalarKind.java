package dev.eventsource.processor.model;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;

/**
 * Reference types read from one JSON scalar, each with the {@code CodecSupport} method that reads it
 * and the code that writes it ({@code $1L} is the generator, {@code $2L} the value).
 */
public enum ScalarKind {
    STRING(ClassName.get("java.lang", "String"), "readString", "$L.writeString($L)"),
    BIG_DECIMAL(ClassName.get("java.math", "BigDecimal"), "readBigDecimal", "$L.writeNumber($L)"),
    BIG_INTEGER(ClassName.get("java.math", "BigInteger"), "readBigInteger", "$L.writeNumber($L)"),
    UUID(ClassName.get("java.util", "UUID"), "readUuid", "$T.writeUuid($L, $L)"),
    INSTANT(ClassName.get("java.time", "Instant"), "readInstant", "$T.writeTemporal($L, $L)"),
    LOCAL_DATE(ClassName.get("java.time", "LocalDate"), "readLocalDate", "$T.writeTemporal($L, $L)"),
    LOCAL_DATE_TIME(ClassName.get("java.time", "LocalDateTime"), "readLocalDateTime", "$T.writeLocalDateTime($L, $L)"),
    OFFSET_DATE_TIME(ClassName.get("java.time", "OffsetDateTime"), "readOffsetDateTime", "$T.writeOffsetDateTime($L, $L)"),
    DURATION(ClassName.get("java.time", "Duration"), "readDuration", "$T.writeTemporal($L, $L)"),
    BYTES(ArrayTypeName.of(TypeName.BYTE), "readBytes", "$T.writeBytes($L, $L)");

    private final TypeName type;
    private final String reader;
    private final String writeFormat;

    ScalarKind(TypeName type, String reader, String writeFormat) {
        this.type = type;
        this.reader = reader;
        this.writeFormat = writeFormat;
    }

    /** The Java type. */
    public TypeName type() {
        return type;
    }

    /** Name of the static {@code CodecSupport} method that reads it. */
    public String reader() {
        return reader;
    }

    /** Whether the write goes through a {@code CodecSupport} helper (else a generator method). */
    public boolean writesThroughSupport() {
        return writeFormat.startsWith("$T");
    }

    /** JavaPoet format of the write: generator method, or {@code CodecSupport} helper. */
    public String writeFormat() {
        return writeFormat;
    }

    /** The kind for a qualified type name ({@code byte[]} as {@code "byte[]"}), or {@code null}. */
    public static ScalarKind of(String qualifiedName) {
        for (ScalarKind k : values()) {
            if (k.type.toString().equals(qualifiedName)) {
                return k;
            }
        }
        return null;
    }
}
