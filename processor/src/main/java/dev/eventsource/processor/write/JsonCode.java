package dev.eventsource.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import dev.eventsource.processor.model.FieldModel;
import dev.eventsource.processor.model.PrimitiveKind;
import dev.eventsource.processor.model.TypeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * The JSON reading and writing code for one {@link TypeModel}, shared by event codecs and snapshot
 * codecs. Generated code calls the parser {@code in} and the generator {@code out}; every local it
 * declares contains a {@code $} so it can never clash with a user's name.
 */
final class JsonCode {

    private JsonCode() {
    }

    // ---- property names ----

    /** Name of the constant holding a property's pre-encoded name. */
    static String keyConstant(FieldModel field) {
        return "K$" + field.name();
    }

    /**
     * Pre-encoded property names ({@code SerializedString}): the generator copies their bytes instead
     * of escaping and encoding the name for every event.
     */
    static List<FieldSpec> keyConstants(List<FieldModel> fields) {
        List<FieldSpec> specs = new ArrayList<>();
        for (FieldModel f : fields) {
            specs.add(FieldSpec.builder(Names.SERIALIZED_STRING, keyConstant(f), Modifier.PRIVATE, Modifier.STATIC,
                            Modifier.FINAL)
                    .initializer("new $T($S)", Names.SERIALIZED_STRING, f.name())
                    .build());
        }
        return specs;
    }

    // ---- writing ----

    /** {@code out.writeStartObject(); <each field> out.writeEndObject();} reading fields from {@code instance}. */
    static CodeBlock writeObject(List<FieldModel> fields, String instance) {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("out.writeStartObject()");
        for (FieldModel f : fields) {
            code.addStatement("out.writeFieldName($L)", keyConstant(f));
            code.add(write(f.type(), CodeBlock.of("$L.$L", instance, f.access()), 1, "$" + f.name()));
        }
        return code.addStatement("out.writeEndObject()").build();
    }

    /**
     * Statements writing {@code value} (evaluated once) as a JSON value. Containers first copy it into
     * {@code local}, which must be unique in the method (nested containers live in their own blocks).
     */
    static CodeBlock write(TypeModel type, CodeBlock value, int depth, String local) {
        if (type instanceof TypeModel.Primitive p) {
            if (p.boxed()) {
                return CodeBlock.builder().addStatement("$T.writeNullable(out, $L)", Names.CODEC_SUPPORT, value).build();
            }
            if (p.kind() == PrimitiveKind.BOOLEAN) {
                return CodeBlock.builder().addStatement("out.writeBoolean($L)", value).build();
            }
            if (p.kind() == PrimitiveKind.CHAR) {
                return CodeBlock.builder().addStatement("$T.writeChar(out, $L)", Names.CODEC_SUPPORT, value).build();
            }
            return CodeBlock.builder().addStatement("out.writeNumber($L)", value).build();
        }
        if (type instanceof TypeModel.Scalar s) {
            String format = TypeNames.writeFormat(s.kind());
            return TypeNames.writesThroughSupport(s.kind())
                    ? CodeBlock.builder().addStatement(format, Names.CODEC_SUPPORT, "out", value).build()
                    : CodeBlock.builder().addStatement(format, "out", value).build();
        }
        if (type instanceof TypeModel.EnumRef) {
            return CodeBlock.builder().addStatement("$T.writeNullable(out, $L)", Names.CODEC_SUPPORT, value).build();
        }
        if (type instanceof TypeModel.ValueRef v) {
            return CodeBlock.builder()
                    .addStatement("$T.writeObject(out, $T.INSTANCE, $L)", Names.CODEC_SUPPORT, TypeNames.of(v.codec()),
                            value)
                    .build();
        }
        if (type instanceof TypeModel.PrimitiveArray a) {
            return CodeBlock.builder()
                    .addStatement("$T.$L(out, $L)", Names.CODEC_SUPPORT, TypeNames.arrayWriter(a.kind()), value)
                    .build();
        }
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$T $L = $L", TypeNames.of(type), local, value);
        if (type instanceof TypeModel.SealedRef s) {
            return writeSealed(s, local, code);
        }
        if (type instanceof TypeModel.OptionalOf o) {
            // Optional is written like Jackson's Jdk8Module does: the value, or null when empty.
            code.beginControlFlow("if ($L == null || $L.isEmpty())", local, local)
                    .addStatement("out.writeNull()")
                    .nextControlFlow("else")
                    .add(write(o.element(), CodeBlock.of("$L.get()", local), depth + 1, local(o.element(), depth + 1)))
                    .endControlFlow();
            return code.build();
        }
        code.beginControlFlow("if ($L == null)", local)
                .addStatement("out.writeNull()")
                .nextControlFlow("else");
        if (type instanceof TypeModel.MapOf m) {
            String entry = "$entry" + depth;
            code.addStatement("out.writeStartObject()")
                    .beginControlFlow("for ($T $L : $L.entrySet())",
                            ParameterizedTypeName.get(Names.MAP.nestedClass("Entry"), TypeNames.of(m.key()).box(),
                                    TypeNames.of(m.value())),
                            entry, local)
                    .addStatement("out.writeFieldName($L)", TypeNames.keyText(m.key(), CodeBlock.of("$L.getKey()", entry)))
                    .add(write(m.value(), CodeBlock.of("$L.getValue()", entry), depth + 1, local(m.value(), depth + 1)))
                    .endControlFlow()
                    .addStatement("out.writeEndObject()");
        } else {
            TypeModel element = type instanceof TypeModel.ListOf l ? l.element() : ((TypeModel.SetOf) type).element();
            String item = "$item" + depth;
            code.addStatement("out.writeStartArray()")
                    .beginControlFlow("for ($T $L : $L)", TypeNames.of(element), item, local)
                    .add(write(element, CodeBlock.of("$L", item), depth + 1, local(element, depth + 1)))
                    .endControlFlow()
                    .addStatement("out.writeEndArray()");
        }
        return code.endControlFlow().build();
    }

    /** An {@code instanceof} chain writing {@code local} as {@code {"<discriminator>": {...}}}. */
    private static CodeBlock writeSealed(TypeModel.SealedRef type, String local, CodeBlock.Builder code) {
        code.beginControlFlow("if ($L == null)", local).addStatement("out.writeNull()");
        for (TypeModel.Variant v : type.variants()) {
            code.nextControlFlow("else if ($L instanceof $T)", local, TypeNames.of(v.type()))
                    .addStatement("$T.writeVariant(out, $S, $T.INSTANCE, ($T) $L)", Names.CODEC_SUPPORT,
                            v.discriminator(), TypeNames.of(v.codec()), TypeNames.of(v.type()), local);
        }
        return code.nextControlFlow("else")
                .add("// Only a subtype permitted after this code was generated can get here.\n")
                .addStatement("throw new $T($S + $L.getClass().getName())", IllegalStateException.class,
                        "not a permitted subtype of " + type.type().canonicalName() + " when its codec was generated: ",
                        local)
                .endControlFlow()
                .build();
    }

    private static String local(TypeModel type, int depth) {
        if (type instanceof TypeModel.ListOf) {
            return "$list" + depth;
        }
        if (type instanceof TypeModel.SetOf) {
            return "$set" + depth;
        }
        if (type instanceof TypeModel.MapOf) {
            return "$map" + depth;
        }
        if (type instanceof TypeModel.SealedRef) {
            return "$sealed" + depth;
        }
        return "$optional" + depth;
    }

    // ---- reading ----

    /** One {@code case} of a read loop: the property name and the statements reading its value. */
    record Case(String property, CodeBlock body) {
    }

    /**
     * The loop reading one JSON object property by property: a {@code switch} on the name, unknown
     * names skipped, a known name seen twice rejected, and every parse or conversion error turned
     * into a {@code CodecException} naming {@code typeConstant} (the event or stream type) and the
     * property being read.
     *
     * <p>Each known property has a bit in a {@code long} local ({@code $seen0} for the first 64,
     * {@code $seen1} for the next, ...), set by its case; after the loop, {@link #unseen} tells whether
     * a property was present. The error names the property from the object's own parsing context,
     * not from the name last returned by {@code nextFieldName()}: that call parses a number or
     * literal value right after the name (Jackson does so eagerly), so a bad value can fail it before
     * its name is assigned.
     */
    static CodeBlock readLoop(String typeConstant, List<Case> cases) {
        CodeBlock.Builder code = CodeBlock.builder();
        if (!cases.isEmpty()) {
            code.add("// One bit per known property, set in its case: a property that comes twice is an error.\n");
            for (int word = 0; word <= (cases.size() - 1) / 64; word++) {
                code.addStatement("long $L = 0L", seenWord(word));
            }
        }
        code.addStatement("$T $$object = null", Names.JSON_STREAM_CONTEXT)
                .beginControlFlow("try")
                .addStatement("$T.beginObject(in)", Names.CODEC_SUPPORT)
                .add("// This object's context: its current name is the property being read, also when the value\n")
                .add("// failed inside nextFieldName() (which already parses a number or literal after the name) or\n")
                .add("// deeper in a list, map or nested object.\n")
                .addStatement("$$object = in.getParsingContext()")
                .addStatement("String $$field")
                .beginControlFlow("while (($$field = in.nextFieldName()) != null)")
                .addStatement("in.nextToken()")
                .beginControlFlow("switch ($$field)");
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            code.add("case $S:\n", c.property()).indent()
                    .addStatement("$L = $T.markSeen(in, $L, 1L << $L)", seenWord(i / 64), Names.CODEC_SUPPORT,
                            seenWord(i / 64), i % 64)
                    .add(c.body())
                    .addStatement("break")
                    .unindent();
        }
        code.add("default:\n").indent()
                .add("// A property this version does not know (added by a newer writer, say): skip it.\n")
                .addStatement("in.skipChildren()")
                .unindent()
                .endControlFlow()
                .endControlFlow()
                .nextControlFlow("catch ($T | $T | $T | $T $$e)", Names.JSON_PROCESSING_EXCEPTION,
                        IllegalArgumentException.class, Names.DATE_TIME_EXCEPTION, Names.CODEC_EXCEPTION)
                .addStatement("throw new $T($L, $$object == null ? null : $$object.getCurrentName(), $$e.getMessage(), $$e)",
                        Names.CODEC_EXCEPTION, typeConstant)
                .endControlFlow();
        return code.build();
    }

    /**
     * After {@link #readLoop}: the condition that the property of case {@code index} did not occur,
     * e.g. {@code ($seen0 & (1L << 3)) == 0L}.
     */
    static CodeBlock unseen(int index) {
        return CodeBlock.of("($L & (1L << $L)) == 0L", seenWord(index / 64), index % 64);
    }

    private static String seenWord(int word) {
        return "$seen" + word;
    }

    /**
     * Statements reading the current JSON value into {@code target} (a local or a field). Collections
     * are read into {@code ArrayList}/{@code LinkedHashSet}/{@code LinkedHashMap}, wrapped unmodifiable
     * unless {@code mutable} (aggregate state, which its owner changes in place).
     */
    static CodeBlock readInto(TypeModel type, String target, int depth, boolean mutable) {
        CodeBlock simple = readExpression(type, false);
        if (simple != null) {
            return CodeBlock.builder().addStatement("$L = $L", target, simple).build();
        }
        CodeBlock.Builder code = CodeBlock.builder();
        if (type instanceof TypeModel.OptionalOf o) {
            CodeBlock element = readExpression(o.element(), true);
            if (element != null) {
                return code.addStatement("$L = in.hasToken($T.VALUE_NULL) ? $T.empty() : $T.of($L)", target,
                        Names.JSON_TOKEN, Names.OPTIONAL, Names.OPTIONAL, element).build();
            }
            String local = "$optional" + depth;
            return code.beginControlFlow("if (in.hasToken($T.VALUE_NULL))", Names.JSON_TOKEN)
                    .addStatement("$L = $T.empty()", target, Names.OPTIONAL)
                    .nextControlFlow("else")
                    .addStatement("$T $L", TypeNames.of(o.element()), local)
                    .add(readInto(o.element(), local, depth + 1, mutable))
                    .addStatement("$L = $T.of($L)", target, Names.OPTIONAL, local)
                    .endControlFlow()
                    .build();
        }
        code.beginControlFlow("if (in.hasToken($T.VALUE_NULL))", Names.JSON_TOKEN)
                .addStatement("$L = null", target)
                .nextControlFlow("else");
        if (type instanceof TypeModel.SealedRef s) {
            return code.add(readSealed(s, target)).endControlFlow().build();
        }
        if (type instanceof TypeModel.MapOf m) {
            String local = "$map" + depth;
            String key = "$key" + depth;
            CodeBlock put = m.stringKeys()
                    ? CodeBlock.of("$T.putNewKey(in, $L, $L, ", Names.CODEC_SUPPORT, local, key)
                    : CodeBlock.of("$T.putNewKey(in, $L, $L, $T.mapKey(in, $L, $L), ", Names.CODEC_SUPPORT, local, key,
                            Names.CODEC_SUPPORT, key, TypeNames.keyParser(m.key()));
            code.addStatement("$T.expect(in, $T.START_OBJECT)", Names.CODEC_SUPPORT, Names.JSON_TOKEN)
                    .addStatement("$T $L = new $T<>()", TypeNames.of(type), local, Names.LINKED_HASH_MAP)
                    .addStatement("String $L", key)
                    .beginControlFlow("while (($L = in.nextFieldName()) != null)", key)
                    .addStatement("in.nextToken()")
                    .add(readElement(m.value(), put, depth, mutable))
                    .endControlFlow()
                    .addStatement("$L = $L", target, mutable ? CodeBlock.of("$L", local)
                            : CodeBlock.of("$T.unmodifiableMap($L)", Names.COLLECTIONS, local));
        } else {
            boolean list = type instanceof TypeModel.ListOf;
            TypeModel element = list ? ((TypeModel.ListOf) type).element() : ((TypeModel.SetOf) type).element();
            String local = (list ? "$list" : "$set") + depth;
            code.addStatement("$T.expect(in, $T.START_ARRAY)", Names.CODEC_SUPPORT, Names.JSON_TOKEN)
                    .addStatement("$T $L = new $T<>()", TypeNames.of(type), local,
                            list ? Names.ARRAY_LIST : Names.LINKED_HASH_SET)
                    .beginControlFlow("while (in.nextToken() != $T.END_ARRAY)", Names.JSON_TOKEN)
                    .add(readElement(element, CodeBlock.of("$L.add(", local), depth, mutable))
                    .endControlFlow()
                    .addStatement("$L = $L", target, mutable ? CodeBlock.of("$L", local)
                            : CodeBlock.of("$T.$L($L)", Names.COLLECTIONS, list ? "unmodifiableList" : "unmodifiableSet",
                                    local));
        }
        return code.endControlFlow().build();
    }

    /**
     * A {@code switch} on the discriminator reading a non-null sealed value into {@code target}: only
     * the permitted subtypes' codecs can be reached.
     */
    private static CodeBlock readSealed(TypeModel.SealedRef type, String target) {
        String name = type.type().simpleName();
        String known = type.variants().stream().map(TypeModel.Variant::discriminator).collect(Collectors.joining(", "));
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// One property, named by the subtype; only the permitted subtypes can be read.\n")
                .beginControlFlow("switch ($T.beginVariant(in, $S, $S))", Names.CODEC_SUPPORT, name, known);
        for (TypeModel.Variant v : type.variants()) {
            code.add("case $S:\n", v.discriminator()).indent()
                    .addStatement("$L = $T.INSTANCE.read(in)", target, TypeNames.of(v.codec()))
                    .addStatement("break")
                    .unindent();
        }
        return code.add("default:\n").indent()
                .addStatement("throw $T.unknownVariant(in, $S, $S)", Names.CODEC_SUPPORT, name, known)
                .unindent()
                .endControlFlow()
                .addStatement("$T.endVariant(in, $S)", Names.CODEC_SUPPORT, name)
                .build();
    }

    /**
     * Reads one element and passes it to {@code call} (e.g. {@code $list1.add(}); map entries go
     * through {@code CodecSupport.putNewKey}, which rejects a key the object has already.
     */
    private static CodeBlock readElement(TypeModel element, CodeBlock call, int depth, boolean mutable) {
        CodeBlock simple = readExpression(element, false);
        if (simple != null) {
            return CodeBlock.builder().addStatement("$L$L)", call, simple).build();
        }
        String local = "$element" + depth;
        return CodeBlock.builder()
                .addStatement("$T $L", TypeNames.of(element), local)
                .add(readInto(element, local, depth + 1, mutable))
                .addStatement("$L$L)", call, local)
                .build();
    }

    /**
     * A single expression reading the current value, or {@code null} for containers and sealed
     * interfaces (which need statements). With {@code nonNull} the caller has ruled out a JSON null already.
     */
    private static CodeBlock readExpression(TypeModel type, boolean nonNull) {
        if (type instanceof TypeModel.Primitive p) {
            CodeBlock read = CodeBlock.of("$T.$L(in)", Names.CODEC_SUPPORT, TypeNames.reader(p.kind()));
            return p.boxed() && !nonNull ? orNull(read) : read;
        }
        if (type instanceof TypeModel.Scalar s) {
            return CodeBlock.of("$T.$L(in)", Names.CODEC_SUPPORT, TypeNames.reader(s.kind()));
        }
        if (type instanceof TypeModel.EnumRef e) {
            CodeBlock read = CodeBlock.of("$T.valueOf($T.readString(in))", TypeNames.of(e.type()), Names.CODEC_SUPPORT);
            return nonNull ? read : orNull(read);
        }
        if (type instanceof TypeModel.ValueRef v) {
            return CodeBlock.of("$T.readObject(in, $T.INSTANCE)", Names.CODEC_SUPPORT, TypeNames.of(v.codec()));
        }
        if (type instanceof TypeModel.PrimitiveArray a) {
            return CodeBlock.of("$T.$L(in)", Names.CODEC_SUPPORT, TypeNames.arrayReader(a.kind()));
        }
        return null;
    }

    private static CodeBlock orNull(CodeBlock read) {
        return CodeBlock.of("in.hasToken($T.VALUE_NULL) ? null : $L", Names.JSON_TOKEN, read);
    }

    /** The Java default of a type: what a missing property reads as. */
    static CodeBlock defaultValue(TypeModel type) {
        if (type instanceof TypeModel.Primitive p && !p.boxed()) {
            return CodeBlock.of("$L", TypeNames.defaultValue(p.kind()));
        }
        if (type instanceof TypeModel.OptionalOf) {
            return CodeBlock.of("$T.empty()", Names.OPTIONAL);
        }
        return CodeBlock.of("null");
    }

    /** Whether a missing property of the type is an error: primitives cannot be left at a silent default. */
    static boolean required(TypeModel type) {
        return type instanceof TypeModel.Primitive p && !p.boxed();
    }

}
