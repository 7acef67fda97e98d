package dev.eventsource.processor.read;

import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** Finds annotations and their explicitly written attributes, for values and precise error positions. */
final class Annotations {

    static final String AGGREGATE = "dev.eventsource.annotations.Aggregate";
    static final String PROJECTION = "dev.eventsource.annotations.Projection";
    static final String APPLY = "dev.eventsource.annotations.Apply";
    static final String EVENT_TYPE = "dev.eventsource.annotations.EventType";

    private Annotations() {
    }

    /** The annotation of type {@code qualifiedName} on {@code element}, or {@code null}. */
    static AnnotationMirror find(Element element, String qualifiedName) {
        for (AnnotationMirror m : element.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) m.getAnnotationType().asElement();
            if (type.getQualifiedName().contentEquals(qualifiedName)) {
                return m;
            }
        }
        return null;
    }

    /** The attribute as written in the source, or {@code null} when it takes its default. */
    static AnnotationValue explicit(AnnotationMirror mirror, String attribute) {
        if (mirror == null) {
            return null;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(attribute)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A String attribute, or {@code ""} when not written. */
    static String string(AnnotationMirror mirror, String attribute) {
        AnnotationValue v = explicit(mirror, attribute);
        return v == null ? "" : (String) v.getValue();
    }

    /** The elements of an array attribute as written (a single value counts as one), or none. */
    @SuppressWarnings("unchecked")   // javac represents an array attribute as a List<AnnotationValue>
    static List<? extends AnnotationValue> array(AnnotationMirror mirror, String attribute) {
        AnnotationValue v = explicit(mirror, attribute);
        if (v == null) {
            return List.of();
        }
        return v.getValue() instanceof List<?> values ? (List<? extends AnnotationValue>) values : List.of(v);
    }

    /** An int attribute, or {@code defaultValue} when not written. */
    static int integer(AnnotationMirror mirror, String attribute, int defaultValue) {
        AnnotationValue v = explicit(mirror, attribute);
        return v == null ? defaultValue : (Integer) v.getValue();
    }
}
