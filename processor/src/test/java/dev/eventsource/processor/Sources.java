package dev.eventsource.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;

/** Test sources and compilations with the processor. */
final class Sources {

    /** Imports every test source in package {@code test} starts with. */
    static final String HEADER = "package test;\n"
            + "import dev.eventsource.AggregateRoot;\n"
            + "import dev.eventsource.EventEnvelope;\n"
            + "import dev.eventsource.annotations.*;\n"
            + "import java.util.*;\n";

    /** Where the fixtures compiled by the build itself live. */
    static final Path FIXTURES = Path.of("src/test/java/dev/eventsource/processor/fixtures");

    private Sources() {
    }

    /** {@code test.<name>} with {@link #HEADER} and {@code body}. */
    static JavaFileObject source(String name, String body) {
        return JavaFileObjects.forSourceString("test." + name, HEADER + body);
    }

    /** Compiles with the processor and a fresh schema directory, so the schema lock runs as in a real build. */
    static Compilation compile(JavaFileObject... files) {
        return compile(List.of(files));
    }

    static Compilation compile(List<JavaFileObject> files) {
        return javac(freshSchemas()).compile(files);
    }

    /** javac with the processor and {@code -Aeventsource.schemas=<schemas>}. */
    static Compiler javac(Path schemas) {
        return Compiler.javac().withProcessors(new EventSourceProcessor()).withOptions(schemasOption(schemas));
    }

    static String schemasOption(Path schemas) {
        return "-Aeventsource.schemas=" + schemas;
    }

    /** A new empty schemas directory under {@code target}. */
    static Path freshSchemas() {
        try {
            Path target = Files.createDirectories(Path.of("target", "test-event-schemas"));
            return Files.createTempDirectory(target, "schemas");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture sources of one package under {@link #FIXTURES}, in file name order. */
    static List<JavaFileObject> fixtures(String packageDir) {
        try (Stream<Path> files = Files.list(FIXTURES.resolve(packageDir))) {
            List<JavaFileObject> result = new ArrayList<>();
            for (Path p : files.filter(p -> p.toString().endsWith(".java") && !p.toString().endsWith("Test.java")
                    && !p.toString().endsWith("Properties.java")).sorted().toList()) {
                String qualified = "dev.eventsource.processor.fixtures." + packageDir + "."
                        + p.getFileName().toString().replace(".java", "");
                result.add(JavaFileObjects.forSourceString(qualified, Files.readString(p)));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
