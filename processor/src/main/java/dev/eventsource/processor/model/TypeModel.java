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

    /**
     * {@code java.util.Map<K, V>}, written as an object whose property names are the keys' text.
     *
     * @param key {@code String}, an {@link EnumRef} (the constant name), {@code UUID} (canonical
     *     form), a boxed {@code Integer} or {@code Long} (decimal) or {@code LocalDate} (ISO-8601);
     *     see {@link #isKey}
     */
    record MapOf(TypeModel key, TypeModel value) implements TypeModel {
        public MapOf {
            if (!isKey(key)) {
                throw new IllegalArgumentException("not a map key type: " + key.canonical());
            }
        }

        /** A map with {@code String} keys. */
        public MapOf(TypeModel value) {
            this(new Scalar(ScalarKind.STRING), value);
        }

        /** Whether {@code type} may key a map. */
        public static boolean isKey(TypeModel type) {
            return type instanceof EnumRef
                    || type instanceof Primitive p && p.boxed() && (p.kind() == PrimitiveKind.INT || p.kind() == PrimitiveKind.LONG)
                    || type instanceof Scalar s && (s.kind() == ScalarKind.STRING || s.kind() == ScalarKind.UUID
                            || s.kind() == ScalarKind.LOCAL_DATE);
        }

        /** Whether the keys are strings, written and read as they are. */
        public boolean stringKeys() {
            return key.equals(new Scalar(ScalarKind.STRING));
        }

        @Override
        public String canonical() {
            return "java.util.Map<" + key.canonical() + ", " + value.canonical() + ">";
        }
    }

    /**
     * An array of a primitive other than {@code byte} ({@code byte[]} is the base64
     * {@link ScalarKind#BYTES}): a JSON array, except {@code char[]}, which is one JSON string.
     */
    record PrimitiveArray(PrimitiveKind kind) implements TypeModel {
        public PrimitiveArray {
            if (kind == PrimitiveKind.BYTE) {
                throw new IllegalArgumentException("byte[] is the scalar kind BYTES, not a primitive array");
            }
        }

        @Override
        public String canonical() {
            return kind.keyword() + "[]";
        }
    }

    /**
     * A sealed interface whose permitted subtypes are all records or final value classes, each with
     * its own generated codec: written as {@code {"<discriminator>": <the subtype's object>}}.
     *
     * @param variants the subtypes, sorted by discriminator; discriminators are distinct
     */
    record SealedRef(ClassRef type, List<Variant> variants) implements TypeModel {
        public SealedRef {
            variants = List.copyOf(variants);
        }

        @Override
        public String canonical() {
            return type.canonicalName();
        }
    }

    /**
     * One permitted subtype of a {@link SealedRef}.
     *
     * @param discriminator the property name it is written under: its {@code @EventType(name)}, else
     *     its simple name
     */
    record Variant(String discriminator, ClassRef type, ClassRef codec) {
    }

    /** {@code java.util.Optional<E>}, written as the value or {@code null}. */
    record OptionalOf(TypeModel element) implements TypeModel {
        @Override
        public String canonical() {
            return "java.util.Optional<" + element.canonical() + ">";
        }
    }
}
