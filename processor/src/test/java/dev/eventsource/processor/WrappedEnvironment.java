package dev.eventsource.processor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Runs a processor, unchanged, with javac's {@link ProcessingEnvironment} wrapped: behind a plain
 * proxy, as some build tools wrap it (and as a compiler other than javac has none), so that
 * {@code Trees.instance} refuses it; or in an environment of the test's making (faults injected).
 *
 * <pre>{@code
 * Compiler.javac().withProcessors(new WrappedEnvironment(new EventSourceProcessor())).compile(src);
 * }</pre>
 */
final class WrappedEnvironment implements Processor {

    private final Processor delegate;
    private final UnaryOperator<ProcessingEnvironment> wrap;

    /** {@code delegate} in javac's environment behind a proxy that forwards every call. */
    WrappedEnvironment(Processor delegate) {
        this(delegate, env -> (ProcessingEnvironment) Proxy.newProxyInstance(ProcessingEnvironment.class.getClassLoader(),
                new Class<?>[] {ProcessingEnvironment.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(env, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    /** {@code delegate} in the environment {@code wrap} makes of javac's. */
    WrappedEnvironment(Processor delegate, UnaryOperator<ProcessingEnvironment> wrap) {
        this.delegate = delegate;
        this.wrap = wrap;
    }

    @Override
    public void init(ProcessingEnvironment env) {
        delegate.init(wrap.apply(env));
    }

    @Override
    public Set<String> getSupportedOptions() {
        return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return delegate.getSupportedSourceVersion();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation, ExecutableElement member,
            String userText) {
        return delegate.getCompletions(element, annotation, member, userText);
    }
}
