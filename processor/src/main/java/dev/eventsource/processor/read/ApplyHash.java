package dev.eventsource.processor.read;

import com.sun.source.tree.MethodTree;
import com.sun.source.util.Trees;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * The logic part of a snapshot fingerprint: a 64-bit FNV-1a hash of an aggregate's own {@code @Apply}
 * methods (the ones its dispatcher calls) as javac's Trees API prints them. The print is javac's
 * normalized form of the parsed method, so comments, blank lines and indentation do not change it;
 * a newer javac may print differently (that costs one replay per stream, never a wrong state).
 * Where the compiler has no Trees API (ECJ, or a wrapped {@link ProcessingEnvironment}) there is no
 * hash, and a NOTE says so once per compilation.
 *
 * <pre>{@code
 * ApplyHash applyHash = new ApplyHash(processingEnv, reporter);
 * String part = applyHash.of(aggregateType);   // "apply:1f0c...", or null without the Trees API
 * }</pre>
 *
 * <p>Not thread-safe; one per processor, used on the compiler's thread.
 */
final class ApplyHash {

    private final Trees trees;
    private final String unavailable;
    private final Reporter reporter;
    private boolean noted;

    ApplyHash(ProcessingEnvironment env, Reporter reporter) {
        this.reporter = reporter;
        Trees found = null;
        String why = null;
        try {
            found = Trees.instance(env);
        } catch (IllegalArgumentException e) {
            // Not javac's environment: no trees. The fallback is reported (NOTE) on the first aggregate it affects.
            why = env.getClass().getName() + ": " + e.getMessage();
        }
        this.trees = found;
        this.unavailable = why;
    }

    /**
     * {@code apply:<hex>} for the {@code @Apply} methods declared in {@code type}, in declaration
     * order, or {@code null} (and the NOTE, the first time) when the compiler offers no trees.
     */
    String of(TypeElement type) {
        if (trees == null) {
            if (!noted) {
                noted = true;
                reporter.report(Message.SNAPSHOT_LOGIC_UNHASHED, type, unavailable, type.getQualifiedName());
            }
            return null;
        }
        StringBuilder text = new StringBuilder();
        List<ExecutableElement> methods = ElementFilter.methodsIn(type.getEnclosedElements());
        for (ExecutableElement m : methods) {
            if (Annotations.find(m, Annotations.APPLY) != null) {
                MethodTree tree = trees.getTree(m);
                // No tree: the method comes from a class file, not this compilation; its signature stands in.
                text.append(tree != null ? tree.toString() : m.toString()).append('\n');
            }
        }
        return "apply:" + String.format("%016x", AggregateReader.fnv1a64(text.toString()));
    }
}
