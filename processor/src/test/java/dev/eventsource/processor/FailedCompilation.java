package dev.eventsource.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/**
 * A compilation expected to fail, run with real output directories: compile-testing hides the
 * generated files of a failed compilation, but which files a failing compilation still generates
 * is exactly what some tests check.
 */
record FailedCompilation(List<String> errors, List<String> generated, Path sources, Path classes) {

    static FailedCompilation of(JavaFileObject... files) {
        return of(new EventSourceProcessor(), files);
    }

    static FailedCompilation of(Processor processor, JavaFileObject... files) {
        try {
            Path sources = Files.createTempDirectory("generated-sources");
            Path classes = Files.createTempDirectory("classes");
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
                    List.of("-proc:only", "-s", sources.toString(), "-d", classes.toString(),
                            "-classpath", System.getProperty("java.class.path")),
                    null, List.of(files));
            task.setProcessors(List.of(processor));
            task.call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(d.getMessage(Locale.ROOT));
                }
            }
            List<String> generated = new ArrayList<>();
            for (Path root : List.of(sources, classes)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).forEach(p -> generated.add(root.relativize(p).toString()));
                }
            }
            return new FailedCompilation(errors, generated, sources, classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A generated file's text, by path relative to its output directory. */
    String read(String relative) {
        try {
            Path p = sources.resolve(relative);
            return Files.readString(Files.exists(p) ? p : classes.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
