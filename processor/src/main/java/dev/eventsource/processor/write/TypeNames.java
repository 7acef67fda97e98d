package dev.eventsource.processor.write;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.eventsource.processor.model.ClassRef;
import dev.eventsource.processor.model.PrimitiveKind;
import dev.eventsource.processor.model.ScalarKind;
import dev.eventsource.processor.model.TypeModel;
import java.util.List;

/**
 * The JavaPoet types of the model's plain names and field types: the one place the model meets the
 * code generator. Also what generated code calls to read and write each primitive and scalar kind.
 */
final class TypeNames {

    private TypeNames() {
    }

    /** The class named by {@code ref}. */
    static ClassName of(ClassRef ref) {
        List<String> names = ref.simpleNames();
        return ClassName.get(ref.packageName(), names.get(0), names.subList(1, names.size()).toArray(String[]::new));
    }

    /** The Java type of a field, for declarations in generated code. */
    static TypeName of(TypeModel type) {
        if (type instanceof TypeModel.Primitive p) {
            return p.boxed() ? of(p.kind()).box() : of(p.kind());
        }
        if (type instanceof TypeModel.Scalar s) {
            return of(s.kind());
        }
        if (type instanceof TypeModel.EnumRef e) {
            return of(e.type());
        }
        if (type instanceof TypeModel.ValueRef v) {
            return of(v.type());
        }
        if (type instanceof TypeModel.ListOf l) {
            return ParameterizedTypeName.get(Names.LIST, of(l.element()));
        }
        if (type instanceof TypeModel.SetOf s) {
            return ParameterizedTypeName.get(Names.SET, of(s.element()));
        }
        if (type instanceof TypeModel.MapOf m) {
            return ParameterizedTypeName.get(Names.MAP, of(m.key()).box(), of(m.value()));
        }
        if (type instanceof TypeModel.PrimitiveArray a) {
            return ArrayTypeName.of(of(a.kind()));
        }
        if (type instanceof TypeModel.SealedRef s) {
            return of(s.type());
        }
        return ParameterizedTypeName.get(Names.OPTIONAL, of(((TypeModel.OptionalOf) type).element()));
    }

    static TypeName of(PrimitiveKind kind) {
        return switch (kind) {
            case BOOLEAN -> TypeName.BOOLEAN;
            case BYTE -> TypeName.BYTE;
            case SHORT -> TypeName.SHORT;
            case INT -> TypeName.INT;
            case LONG -> TypeName.LONG;
            case FLOAT -> TypeName.FLOAT;
            case DOUBLE -> TypeName.DOUBLE;
            case CHAR -> TypeName.CHAR;
        };
    }

    static TypeName of(ScalarKind kind) {
        return kind == ScalarKind.BYTES ? ArrayTypeName.of(TypeName.BYTE) : ClassName.bestGuess(kind.qualifiedName());
    }

    /** Name of the static {@code CodecSupport} method that reads the primitive. */
    static String reader(PrimitiveKind kind) {
        return switch (kind) {
            case BOOLEAN -> "readBoolean";
            case BYTE -> "readByte";
            case SHORT -> "readShort";
            case INT -> "readInt";
            case LONG -> "readLong";
            case FLOAT -> "readFloat";
            case DOUBLE -> "readDouble";
            case CHAR -> "readChar";
        };
    }

    /** Java source of the primitive's default value (what a missing field would hold in Java). */
    static String defaultValue(PrimitiveKind kind) {
        return switch (kind) {
            case BOOLEAN -> "false";
            case BYTE, SHORT, INT -> "0";
            case LONG -> "0L";
            case FLOAT -> "0f";
            case DOUBLE -> "0d";
            case CHAR -> "'\\0'";
        };
    }

    /**
     * How generated code reads and writes one scalar kind.
     *
     * @param reader the static {@code CodecSupport} method that reads it
     * @param writeFormat JavaPoet format writing it: a generator method ({@code $1L} the generator,
     *     {@code $2L} the value), or a {@code CodecSupport} helper ({@code $1T} {@code CodecSupport},
     *     then the two)
     */
    private record ScalarCode(String reader, String writeFormat) {
    }

    /** The scalar kinds' readers and writers, one row each. */
    private static ScalarCode code(ScalarKind kind) {
        return switch (kind) {
            case STRING -> new ScalarCode("readString", "$L.writeString($L)");
            case BIG_DECIMAL -> new ScalarCode("readBigDecimal", "$L.writeNumber($L)");
            case BIG_INTEGER -> new ScalarCode("readBigInteger", "$L.writeNumber($L)");
            case UUID -> new ScalarCode("readUuid", "$T.writeUuid($L, $L)");
            case INSTANT -> new ScalarCode("readInstant", "$T.writeTemporal($L, $L)");
            case LOCAL_DATE -> new ScalarCode("readLocalDate", "$T.writeTemporal($L, $L)");
            case LOCAL_DATE_TIME -> new ScalarCode("readLocalDateTime", "$T.writeLocalDateTime($L, $L)");
            case OFFSET_DATE_TIME -> new ScalarCode("readOffsetDateTime", "$T.writeOffsetDateTime($L, $L)");
            case DURATION -> new ScalarCode("readDuration", "$T.writeTemporal($L, $L)");
            case BYTES -> new ScalarCode("readBytes", "$T.writeBytes($L, $L)");
            case LOCAL_TIME -> new ScalarCode("readLocalTime", "$T.writeLocalTime($L, $L)");
            case ZONED_DATE_TIME -> new ScalarCode("readZonedDateTime", "$T.writeZonedDateTime($L, $L)");
            case OFFSET_TIME -> new ScalarCode("readOffsetTime", "$T.writeText($L, $L)");
            case YEAR -> new ScalarCode("readYear", "$T.writeYear($L, $L)");
            case YEAR_MONTH -> new ScalarCode("readYearMonth", "$T.writeYearMonth($L, $L)");
            case MONTH_DAY -> new ScalarCode("readMonthDay", "$T.writeText($L, $L)");
            case PERIOD -> new ScalarCode("readPeriod", "$T.writeText($L, $L)");
            case ZONE_ID -> new ScalarCode("readZoneId", "$T.writeText($L, $L)");
            case CURRENCY -> new ScalarCode("readCurrency", "$T.writeText($L, $L)");
            case URI -> new ScalarCode("readUri", "$T.writeText($L, $L)");
        };
    }

    /** Name of the static {@code CodecSupport} method that reads the scalar. */
    static String reader(ScalarKind kind) {
        return code(kind).reader();
    }

    /** JavaPoet format writing the scalar; see {@link ScalarCode#writeFormat}. */
    static String writeFormat(ScalarKind kind) {
        return code(kind).writeFormat();
    }

    /** Whether {@link #writeFormat} goes through a {@code CodecSupport} helper (else a generator method). */
    static boolean writesThroughSupport(ScalarKind kind) {
        return writeFormat(kind).startsWith("$T");
    }

    /** Name of the static {@code CodecSupport} method that reads an array of the primitive ({@code readIntArray}). */
    static String arrayReader(PrimitiveKind kind) {
        return "read" + Character.toUpperCase(kind.keyword().charAt(0)) + kind.keyword().substring(1) + "Array";
    }

    /** Name of the static {@code CodecSupport} method that writes an array of the primitive. */
    static String arrayWriter(PrimitiveKind kind) {
        return kind == PrimitiveKind.CHAR ? "writeChars" : "writeArray";
    }

    /**
     * The arguments after the key text of {@code CodecSupport.mapKey}, turning a property name into a
     * key of the model: what the key is, for messages, and its parse method ({@code "a UUID", UUID::fromString}).
     */
    static CodeBlock keyParser(TypeModel key) {
        if (key instanceof TypeModel.EnumRef e) {
            return CodeBlock.of("$S, $T::valueOf", "a " + e.type().simpleName() + " constant", of(e.type()));
        }
        if (key instanceof TypeModel.Primitive p) {
            return CodeBlock.of("$S, $T::valueOf", p.kind() == PrimitiveKind.INT ? "an int" : "a long", of(p.kind()).box());
        }
        ScalarKind kind = ((TypeModel.Scalar) key).kind();
        return kind == ScalarKind.UUID ? CodeBlock.of("$S, $T::fromString", "a UUID", of(kind))
                : CodeBlock.of("$S, $T::parse", "an ISO-8601 local date", of(kind));
    }

    /** The text a map key is written as: the constant name of an enum, else {@code toString()}. */
    static CodeBlock keyText(TypeModel key, CodeBlock value) {
        return key instanceof TypeModel.EnumRef ? CodeBlock.of("$L.name()", value)
                : key.equals(new TypeModel.Scalar(ScalarKind.STRING)) ? value : CodeBlock.of("$L.toString()", value);
    }
}
