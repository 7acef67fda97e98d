package dev.eventsource.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model knows nothing of the writer: no class in {@code model} (nor in {@code read}, which builds
 * the model) refers to JavaPoet; only {@code write} and the entry point do. Checked on the compiled
 * classes, whose constant pools name every class they use (imports, fully qualified names and
 * signatures alike), and on the sources.
 */
class ModelBoundaryTest {

    private static final String JAVAPOET = "com/palantir/javapoet";

    private static List<Path> files(String root, String pkg, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(root, "dev/eventsource/processor", pkg))) {
            return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** Whether the class file's bytes name a JavaPoet class (class names are ASCII in the constant pool). */
    private static boolean refersToJavaPoet(Path classFile) throws IOException {
        return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(JAVAPOET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"model", "read"})
    void compiled_classes_do_not_refer_to_javapoet(String pkg) throws IOException {
        List<Path> classes = files("target/classes", pkg, ".class");
        assertThat(classes).as("compiled classes of %s", pkg).hasSizeGreaterThan(5);
        for (Path c : classes) {
            assertThat(refersToJavaPoet(c)).as("%s refers to %s", c, JAVAPOET).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"model", "read"})
    void sources_do_not_mention_javapoet(String pkg) throws IOException {
        for (Path source : files("src/main/java", pkg, ".java")) {
            assertThat(Files.readString(source)).as(source.toString()).doesNotContain("com.palantir.javapoet");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TypeNames.class", "CodecWriter.class"})
    void the_check_sees_javapoet_where_it_is_used(String writer) throws IOException {
        assertThat(refersToJavaPoet(Path.of("target/classes/dev/eventsource/processor/write", writer))).isTrue();
    }
}
