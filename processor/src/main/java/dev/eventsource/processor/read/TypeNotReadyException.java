package dev.eventsource.processor.read;

import javax.lang.model.element.Element;

/**
 * Thrown while reading a type that refers to a type which does not exist yet (another processor may
 * generate it in a later round). The processor defers the annotated type to the next round; at the
 * last round it reports {@link Message#UNRESOLVED_TYPE} instead.
 */
public final class TypeNotReadyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Element element;
    private final String missing;

    public TypeNotReadyException(Element element, String missing) {
        super(missing, null, false, false);
        this.element = element;
        this.missing = missing;
    }

    /** The element whose type is missing (a parameter, field or record component). */
    public Element element() {
        return element;
    }

    /** The missing type, as written in the source. */
    public String missing() {
        return missing;
    }
}
