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

    /** Stack frames quoted in a {@link Message#PROCESSOR_EXCEPTION}. */
    private static final int FRAMES = 8;

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

    /**
     * Reports {@link Message#PROCESSOR_EXCEPTION}: {@code bug} escaped the processor while it was doing
     * {@code what} (e.g. {@code "processing @Aggregate com.acme.Order"}). The message names the
     * exception, its message and cause, and its first {@value #FRAMES} stack frames, which is what a
     * bug report needs.
     *
     * @param element the type (or method) being processed, or {@code null} for a step of the whole
     *     compilation
     */
    public void reportException(Element element, String what, Throwable bug) {
        StringBuilder detail = new StringBuilder(bug.toString());
        Throwable cause = bug.getCause();
        for (int depth = 0; cause != null && depth < FRAMES; depth++, cause = cause.getCause()) {
            detail.append(", caused by ").append(cause);
        }
        StringBuilder frames = new StringBuilder();
        StackTraceElement[] trace = bug.getStackTrace();
        for (int i = 0; i < Math.min(FRAMES, trace.length); i++) {
            frames.append("\n\tat ").append(trace[i]);
        }
        if (trace.length > FRAMES) {
            frames.append("\n\t... ").append(trace.length - FRAMES).append(" more");
        }
        if (element == null) {
            reportWithoutElement(Message.PROCESSOR_EXCEPTION, what, detail, frames);
        } else {
            report(Message.PROCESSOR_EXCEPTION, element, what, detail, frames);
        }
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
