package dev.eventsource.processor.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.processor.model.ClassRef;
import dev.eventsource.processor.model.PrimitiveKind;
import dev.eventsource.processor.model.ScalarKind;
import dev.eventsource.processor.model.TypeModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model's plain names and the writer's JavaPoet types agree: a type's canonical text (what
 * snapshot fingerprints hash) is exactly how the generated code declares it.
 */
class TypeNamesTest {

    private static final ClassRef LINE = new ClassRef("com.acme", List.of("Order", "Line"));

    private static List<TypeModel> leaves() {
        List<TypeModel> leaves = new ArrayList<>();
        for (PrimitiveKind k : PrimitiveKind.values()) {
            leaves.add(new TypeModel.Primitive(k, false));
            leaves.add(new TypeModel.Primitive(k, true));
        }
        for (ScalarKind k : ScalarKind.values()) {
            leaves.add(new TypeModel.Scalar(k));
        }
        leaves.add(new TypeModel.EnumRef(ClassRef.topLevel("com.acme", "Status"), List.of("NEW")));
        leaves.add(new TypeModel.ValueRef(LINE, LINE.generated("_Codec")));
        for (PrimitiveKind k : PrimitiveKind.values()) {
            if (k != PrimitiveKind.BYTE) {
                leaves.add(new TypeModel.PrimitiveArray(k));
            }
        }
        leaves.add(new TypeModel.SealedRef(ClassRef.topLevel("com.acme", "Payment"),
                List.of(new TypeModel.Variant("Card", LINE, LINE.generated("_Codec")))));
        return leaves;
    }

    @Test
    void every_type_is_declared_as_its_canonical_text() {
        List<TypeModel> all = new ArrayList<>();
        for (TypeModel leaf : leaves()) {
            all.add(leaf);
            if (leaf instanceof TypeModel.Primitive p && !p.boxed()) {
                continue; // not a type argument in Java, so never read as one
            }
            all.add(new TypeModel.ListOf(leaf));
            all.add(new TypeModel.SetOf(leaf));
            all.add(new TypeModel.OptionalOf(leaf));
            for (TypeModel key : leaves()) {
                if (TypeModel.MapOf.isKey(key)) {
                    all.add(new TypeModel.MapOf(key, new TypeModel.ListOf(leaf)));
                }
            }
        }
        for (TypeModel t : all) {
            assertThat(TypeNames.of(t).toString()).as(t.toString()).isEqualTo(t.canonical());
        }
        assertThat(new TypeModel.MapOf(new TypeModel.Primitive(PrimitiveKind.INT, true)).canonical())
                .isEqualTo("java.util.Map<java.lang.String, java.lang.Integer>");
    }

    @Test
    void map_keys_are_strings_enums_uuids_integers_longs_and_dates() {
        List<String> keys = leaves().stream().filter(TypeModel.MapOf::isKey).map(TypeModel::canonical).toList();
        assertThat(keys).containsExactly("java.lang.Integer", "java.lang.Long", "java.lang.String", "java.util.UUID",
                "java.time.LocalDate", "com.acme.Status");
        assertThat(new TypeModel.MapOf(new TypeModel.Scalar(ScalarKind.STRING), new TypeModel.Scalar(ScalarKind.UUID))
                .stringKeys()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TypeModel.MapOf(new TypeModel.Scalar(ScalarKind.INSTANT),
                        new TypeModel.Scalar(ScalarKind.STRING)))
                .hasMessage("not a map key type: java.time.Instant");
    }

    @Test
    void class_names_nested_and_in_the_unnamed_package() {
        assertThat(TypeNames.of(LINE).canonicalName()).isEqualTo(LINE.canonicalName()).isEqualTo("com.acme.Order.Line");
        assertThat(TypeNames.of(LINE).reflectionName()).isEqualTo(LINE.reflectionName()).isEqualTo("com.acme.Order$Line");
        assertThat(LINE.generated("_Codec").canonicalName()).isEqualTo("com.acme.Order_Line_Codec");
        ClassRef unnamed = new ClassRef("", List.of("Outer", "Inner"));
        assertThat(TypeNames.of(unnamed).canonicalName()).isEqualTo(unnamed.canonicalName()).isEqualTo("Outer.Inner");
        assertThat(TypeNames.of(unnamed).reflectionName()).isEqualTo(unnamed.reflectionName()).isEqualTo("Outer$Inner");
    }

    @Test
    void scalar_kinds_are_found_by_the_name_the_writer_declares() {
        for (ScalarKind k : ScalarKind.values()) {
            assertThat(ScalarKind.of(TypeNames.of(k).toString())).isEqualTo(k);
        }
    }
}
