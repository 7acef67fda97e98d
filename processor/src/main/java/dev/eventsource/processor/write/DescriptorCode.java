package dev.eventsource.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import dev.eventsource.processor.model.EventModel;
import dev.eventsource.processor.model.HandlerModel;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Code that aggregate and projection descriptors share: the codec list, {@code type()} and the dispatcher. */
final class DescriptorCode {

    private DescriptorCode() {
    }

    /** {@code List<EventCodec<?>>}. */
    static TypeName codecList() {
        return ParameterizedTypeName.get(Names.LIST,
                ParameterizedTypeName.get(Names.EVENT_CODEC, WildcardTypeName.subtypeOf(Object.class)));
    }

    /** {@code EVENT_CODECS = List.of(...)}, sorted by event type name. */
    static FieldSpec codecsConstant(List<EventModel> events) {
        CodeBlock.Builder init = CodeBlock.builder().add("$T.of(", Names.LIST);
        for (int i = 0; i < events.size(); i++) {
            init.add(i == 0 ? "$T.INSTANCE" : ", $T.INSTANCE", TypeNames.of(events.get(i).codec()));
        }
        return FieldSpec.builder(codecList(), "EVENT_CODECS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Codecs of every event type handled, sorted by stable name.\n")
                .initializer(init.add(")").build())
                .build();
    }

    static MethodSpec typeMethod(ClassName type) {
        return Names.getter("type", ParameterizedTypeName.get(Names.CLASS, type), "$T.class", type);
    }

    static MethodSpec eventCodecsMethod() {
        return Names.getter("eventCodecs", codecList(), "EVENT_CODECS");
    }

    /**
     * {@code if (event instanceof A $event) target.on($event); else if ...}: a direct call per
     * handler, most specific type first, then {@code otherwise} (may be empty).
     */
    static CodeBlock dispatch(List<HandlerModel> handlers, String target, String event, String envelope,
            CodeBlock otherwise) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (int i = 0; i < handlers.size(); i++) {
            HandlerModel h = handlers.get(i);
            ClassName handled = TypeNames.of(h.type());
            String test = "$L instanceof $T $$event";
            if (i == 0) {
                code.beginControlFlow("if (" + test + ")", event, handled);
            } else {
                code.nextControlFlow("else if (" + test + ")", event, handled);
            }
            if (h.takesEnvelope()) {
                code.addStatement("$L.$L($$event, ($T) $L)", target, h.method(),
                        ParameterizedTypeName.get(Names.EVENT_ENVELOPE, handled), envelope);
            } else {
                code.addStatement("$L.$L($$event)", target, h.method());
            }
        }
        if (otherwise.isEmpty()) {
            return handlers.isEmpty() ? code.build() : code.endControlFlow().build();
        }
        if (handlers.isEmpty()) {
            return otherwise;
        }
        return code.nextControlFlow("else").add(otherwise).endControlFlow().build();
    }

    /** Whether the dispatcher casts the envelope, which needs {@code @SuppressWarnings("unchecked")}. */
    static boolean castsEnvelope(List<HandlerModel> handlers) {
        return handlers.stream().anyMatch(HandlerModel::takesEnvelope);
    }
}
