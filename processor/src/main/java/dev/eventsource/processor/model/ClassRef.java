package dev.eventsource.processor.model;

import java.util.List;

/**
 * A class by name: an annotated type, an event or value type, or a class generated for one. Plain
 * names, because a generated class does not exist yet when the model is built; the writer turns them
 * into its code generator's types.
 *
 * @param packageName the package, {@code ""} for the unnamed package
 * @param simpleNames the simple names from the top-level class down to this one, e.g.
 *     {@code [Outer, Inner]}
 */
public record ClassRef(String packageName, List<String> simpleNames) {

    public ClassRef {
        simpleNames = List.copyOf(simpleNames);
        if (simpleNames.isEmpty()) {
            throw new IllegalArgumentException("a class needs a simple name, in package \"" + packageName + "\"");
        }
    }

    /** A top-level class. */
    public static ClassRef topLevel(String packageName, String simpleName) {
        return new ClassRef(packageName, List.of(simpleName));
    }

    /** The class's own simple name, e.g. {@code Inner}. */
    public String simpleName() {
        return simpleNames.get(simpleNames.size() - 1);
    }

    /** The name as written in Java source, e.g. {@code com.acme.Outer.Inner}. */
    public String canonicalName() {
        return qualified(".");
    }

    /**
     * The binary name, as {@code Class.getName()} and {@code META-INF/services} spell it:
     * {@code com.acme.Outer$Inner}.
     */
    public String reflectionName() {
        return qualified("$");
    }

    /**
     * The top-level class of the same package named after this one's simple names joined by
     * {@code _}, then {@code suffix}: {@code com.acme.Outer.Inner} + {@code _Codec} ->
     * {@code com.acme.Outer_Inner_Codec}.
     */
    public ClassRef generated(String suffix) {
        return topLevel(packageName, String.join("_", simpleNames) + suffix);
    }

    private String qualified(String nestedSeparator) {
        String names = String.join(nestedSeparator, simpleNames);
        return packageName.isEmpty() ? names : packageName + "." + names;
    }
}
