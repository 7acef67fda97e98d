package dev.eventsource.processor.write;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
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
            return ParameterizedTypeName.get(Names.MAP, Names.STRING, of(m.value()));
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

    /** Name of the static {@code CodecSupport} method that reads the scalar. */
    static String reader(ScalarKind kind) {
        return switch (kind) {
            case STRING -> "readString";
            case BIG_DECIMAL -> "readBigDecimal";
            case BIG_INTEGER -> "readBigInteger";
            case UUID -> "readUuid";
            case INSTANT -> "readInstant";
            case LOCAL_DATE -> "readLocalDate";
            case LOCAL_DATE_TIME -> "readLocalDateTime";
            case OFFSET_DATE_TIME -> "readOffsetDateTime";
            case DURATION -> "readDuration";
            case BYTES -> "readBytes";
        };
    }

    /**
     * JavaPoet format writing the scalar: a generator method ({@code $1L} the generator, {@code $2L}
     * the value), or a {@code CodecSupport} helper ({@code $1T} {@code CodecSupport}, then the two).
     */
    static String writeFormat(ScalarKind kind) {
        return switch (kind) {
            case STRING -> "$L.writeString($L)";
            case BIG_DECIMAL, BIG_INTEGER -> "$L.writeNumber($L)";
            case UUID -> "$T.writeUuid($L, $L)";
            case INSTANT, LOCAL_DATE, DURATION -> "$T.writeTemporal($L, $L)";
            case LOCAL_DATE_TIME -> "$T.writeLocalDateTime($L, $L)";
            case OFFSET_DATE_TIME -> "$T.writeOffsetDateTime($L, $L)";
            case BYTES -> "$T.writeBytes($L, $L)";
        };
    }

    /** Whether {@link #writeFormat} goes through a {@code CodecSupport} helper (else a generator method). */
    static boolean writesThroughSupport(ScalarKind kind) {
        return writeFormat(kind).startsWith("$T");
    }
}
