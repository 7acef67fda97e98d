package dev.eventsource.processor.read;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * The one way diagnostics leave the processor: every message is a {@link Message} reported on the
 * element at fault (and its annotation or attribute when one is wrong). Counts errors so a reader can
 * tell whether the type it is reading is broken.
 */
public final class Reporter {

    private final Messager messager;
    private int errors;

    public Reporter(Messager messager) {
        this.messager = messager;
    }

    /** Reports {@code message} on {@code element}. */
    public void report(Message message, Element element, Object... args) {
        count(message);
        messager.printMessage(message.kind(), message.format(args), element);
    }

    /** Reports {@code message} on an attribute of an annotation of {@code element}. */
    public void report(Message message, Element element, AnnotationMirror annotation, AnnotationValue value,
            Object... args) {
        count(message);
        if (annotation == null) {
            messager.printMessage(message.kind(), message.format(args), element);
        } else if (value == null) {
            messager.printMessage(message.kind(), message.format(args), element, annotation);
        } else {
            messager.printMessage(message.kind(), message.format(args), element, annotation, value);
        }
    }

    /**
     * Reports {@code message} on the compilation as a whole, for the rare problem no element caused
     * (the services file belongs to every generated descriptor at once).
     */
    public void reportWithoutElement(Message message, Object... args) {
        count(message);
        messager.printMessage(message.kind(), message.format(args));
    }

    /** Errors reported so far; compare before and after reading a type to see if it is broken. */
    public int errorCount() {
        return errors;
    }

    private void count(Message message) {
        if (message.kind() == javax.tools.Diagnostic.Kind.ERROR) {
            errors++;
        }
    }
}
