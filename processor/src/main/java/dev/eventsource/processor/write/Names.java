package dev.eventsource.processor.write;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;

/**
 * Types that generated code refers to, by name: the processor does not depend on the runtime or on
 * Jackson, only the code it generates does.
 */
final class Names {

    static final String PROCESSOR = "dev.eventsource.processor.EventSourceProcessor";

    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    static final ClassName EVENT_ENVELOPE = ClassName.get("dev.eventsource", "EventEnvelope");
    static final ClassName AGGREGATE_DESCRIPTOR = ClassName.get("dev.eventsource.spi", "AggregateDescriptor");
    static final ClassName PROJECTION_DESCRIPTOR = ClassName.get("dev.eventsource.spi", "ProjectionDescriptor");
    static final ClassName EVENT_CODEC = ClassName.get("dev.eventsource.spi", "EventCodec");
    static final ClassName SNAPSHOT_CODEC = ClassName.get("dev.eventsource.spi", "SnapshotCodec");
    static final ClassName CODEC_EXCEPTION = ClassName.get("dev.eventsource.spi", "CodecException");
    static final ClassName CODEC_SUPPORT = ClassName.get("dev.eventsource.spi", "CodecSupport");
    static final ClassName UNKNOWN_EVENT = ClassName.get("dev.eventsource.spi", "UnknownEventException");

    static final ClassName JSON_GENERATOR = ClassName.get("com.fasterxml.jackson.core", "JsonGenerator");
    static final ClassName JSON_PARSER = ClassName.get("com.fasterxml.jackson.core", "JsonParser");
    static final ClassName JSON_TOKEN = ClassName.get("com.fasterxml.jackson.core", "JsonToken");
    static final ClassName JSON_STREAM_CONTEXT = ClassName.get("com.fasterxml.jackson.core", "JsonStreamContext");
    static final ClassName JSON_PROCESSING_EXCEPTION = ClassName.get("com.fasterxml.jackson.core", "JsonProcessingException");
    static final ClassName SERIALIZED_STRING = ClassName.get("com.fasterxml.jackson.core.io", "SerializedString");

    static final ClassName CLASS = ClassName.get("java.lang", "Class");
    static final ClassName IO_EXCEPTION = ClassName.get("java.io", "IOException");
    static final ClassName DATE_TIME_EXCEPTION = ClassName.get("java.time", "DateTimeException");
    static final ClassName LIST = ClassName.get("java.util", "List");
    static final ClassName MAP = ClassName.get("java.util", "Map");
    static final ClassName SET = ClassName.get("java.util", "Set");
    static final ClassName STRING = ClassName.get("java.lang", "String");
    static final ClassName OPTIONAL = ClassName.get("java.util", "Optional");
    static final ClassName COLLECTIONS = ClassName.get("java.util", "Collections");
    static final ClassName ARRAY_LIST = ClassName.get("java.util", "ArrayList");
    static final ClassName LINKED_HASH_SET = ClassName.get("java.util", "LinkedHashSet");
    static final ClassName LINKED_HASH_MAP = ClassName.get("java.util", "LinkedHashMap");

    private Names() {
    }

    /** {@code @Generated("dev.eventsource.processor.EventSourceProcessor")}, without a date: output must be reproducible. */
    static AnnotationSpec generated() {
        return AnnotationSpec.builder(GENERATED).addMember("value", "$S", PROCESSOR).build();
    }

    /** {@code @Override public <returns> <name>() { return <value>; }}: the SPI's constant getters. */
    static MethodSpec getter(String name, TypeName returns, String valueFormat, Object... args) {
        return MethodSpec.methodBuilder(name)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(returns)
                .addStatement("return " + valueFormat, args)
                .build();
    }

    /** As {@link #getter(String, TypeName, String, Object...)} for a plain class. */
    static MethodSpec getter(String name, Class<?> returns, String valueFormat, Object... args) {
        return getter(name, TypeName.get(returns), valueFormat, args);
    }

    /** The file for a generated type, formatted the same way every time. */
    static JavaFile file(String packageName, TypeSpec type) {
        return JavaFile.builder(packageName, type).skipJavaLangImports(true).indent("    ").build();
    }
}
