package dev.eventsource.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * A field type the generated JSON code can read and write. Each variant knows its Java type and its
 * canonical text (used in snapshot fingerprints); the writer decides the code.
 */
public sealed interface TypeModel {

    /** The Java type, for declarations in generated code. */
    TypeName typeName();

    /** Stable text of the type, e.g. {@code java.util.List<com.acme.Line>}. */
    default String canonical() {
        return typeName().toString();
    }

    /** A primitive, or its box when {@code boxed}. */
    record Primitive(PrimitiveKind kind, boolean boxed) implements TypeModel {
        @Override
        public TypeName typeName() {
            return boxed ? kind.type().box() : kind.type();
        }
    }

    /** A reference type read from one JSON scalar (string, number). */
    record Scalar(ScalarKind kind) implements TypeModel {
        @Override
        public TypeName typeName() {
            return kind.type();
        }
    }

    /** An enum, written as its constant name. */
    record EnumRef(ClassName type, List<String> constants) implements TypeModel {
        public EnumRef {
            constants = List.copyOf(constants);
        }

        @Override
        public TypeName typeName() {
            return type;
        }
    }

    /** A record or final class with its own generated codec, written as a nested object. */
    record ValueRef(ClassName type, ClassName codec) implements TypeModel {
        @Override
        public TypeName typeName() {
            return type;
        }
    }

    /** {@code java.util.List<E>}, written as an array. */
    record ListOf(TypeModel element) implements TypeModel {
        @Override
        public TypeName typeName() {
            return ParameterizedTypeName.get(ClassName.get(List.class), element.typeName());
        }
    }

    /** {@code java.util.Set<E>}, written as an array; read in encounter order. */
    record SetOf(TypeModel element) implements TypeModel {
        @Override
        public TypeName typeName() {
            return ParameterizedTypeName.get(ClassName.get("java.util", "Set"), element.typeName());
        }
    }

    /** {@code java.util.Map<String, V>}, written as an object. */
    record MapOf(TypeModel value) implements TypeModel {
        @Override
        public TypeName typeName() {
            return ParameterizedTypeName.get(
                    ClassName.get("java.util", "Map"), ClassName.get(String.class), value.typeName());
        }
    }

    /** {@code java.util.Optional<E>}, written as the value or {@code null}. */
    record OptionalOf(TypeModel element) implements TypeModel {
        @Override
        public TypeName typeName() {
            return ParameterizedTypeName.get(ClassName.get("java.util", "Optional"), element.typeName());
        }
    }
}
