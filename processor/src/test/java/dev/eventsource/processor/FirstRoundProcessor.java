package dev.eventsource.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * Stands for another annotation processor in a compilation: claims nothing and writes one file in
 * its first round, so tests can see how the eventsource processor copes with it.
 *
 * <pre>{@code
 * new FirstRoundProcessor() {
 *     void firstRound(Filer filer) throws IOException { ... filer.createSourceFile("test.Later") ... }
 * };
 * }</pre>
 */
abstract class FirstRoundProcessor extends AbstractProcessor {

    private boolean done;

    /** What this processor writes, once. */
    abstract void firstRound(Filer filer) throws IOException;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (!done) {
            done = true;
            try {
                firstRound(processingEnv.getFiler());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }
}
