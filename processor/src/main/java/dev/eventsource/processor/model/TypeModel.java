package dev.eventsource.processor.model;

import java.util.List;

/**
 * A field type the generated JSON code can read and write. Each variant knows its Java type and its
 * canonical text (used in snapshot fingerprints); the writer decides the code.
 */
public sealed interface TypeModel {

    /**
     * Stable text of the type as Java spells it, e.g. {@code java.util.List<com.acme.Line>} or
     * {@code java.util.Map<java.lang.String, java.lang.Integer>}.
     */
    String canonical();

    /** A primitive, or its box when {@code boxed}. */
    record Primitive(PrimitiveKind kind, boolean boxed) implements TypeModel {
        @Override
        public String canonical() {
            return boxed ? kind.box() : kind.keyword();
        }
    }

    /** A reference type read from one JSON scalar (string, number). */
    record Scalar(ScalarKind kind) implements TypeModel {
        @Override
        public String canonical() {
            return kind.qualifiedName();
        }
    }

    /** An enum, written as its constant name. */
    record EnumRef(ClassRef type, List<String> constants) implements TypeModel {
        public EnumRef {
            constants = List.copyOf(constants);
        }

        @Override
        public String canonical() {
            return type.canonicalName();
        }
    }

    /** A record or final class with its own generated codec, written as a nested object. */
    record ValueRef(ClassRef type, ClassRef codec) implements TypeModel {
        @Override
        public String canonical() {
            return type.canonicalName();
        }
    }

    /** {@code java.util.List<E>}, written as an array. */
    record ListOf(TypeModel element) implements TypeModel {
        @Override
        public String canonical() {
            return "java.util.List<" + element.canonical() + ">";
        }
    }

    /** {@code java.util.Set<E>}, written as an array; read in encounter order. */
    record SetOf(TypeModel element) implements TypeModel {
        @Override
        public String canonical() {
            return "java.util.Set<" + element.canonical() + ">";
        }
    }

    /** {@code java.util.Map<String, V>}, written as an object. */
    record MapOf(TypeModel value) implements TypeModel {
        @Override
        public String canonical() {
            return "java.util.Map<java.lang.String, " + value.canonical() + ">";
        }
    }

    /** {@code java.util.Optional<E>}, written as the value or {@code null}. */
    record OptionalOf(TypeModel element) implements TypeModel {
        @Override
        public String canonical() {
            return "java.util.Optional<" + element.canonical() + ">";
        }
    }
}
