package dev.eventsource.tests.javadoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code <pre>{@code ...}</pre>} example in the Javadoc of the public API compiles against
 * the public API alone, so examples cannot rot. One dynamic test per example, named
 * {@code file:line}; a failure names the example's file and line and the compiler's message.
 *
 * <p>The public API is found in the sources ({@link PublicApi}): public types of the packages
 * without {@code internal} in their name, in every module but the processor, tests, sample and
 * bench. Examples are compiled with the annotation processor on (an example's {@code @Aggregate}
 * gets its descriptor and the processor's checks), never run.
 *
 * <h2>How to write an example so it compiles</h2>
 *
 * <ul>
 *   <li><b>Plain Java inside {@code <pre>{@code ... }</pre>}.</b> Javadoc shows that text verbatim:
 *       write {@code <}, {@code >}, {@code &} and {@code @} themselves, never {@code &lt;},
 *       {@code &#64;} or an inline {@code literal} tag (the test rejects them, they would show up on
 *       the page); braces must balance. A {@code <pre>} without the {@code code} tag is not
 *       compiled: keep it for text that is not Java.
 *   <li><b>Declarations or statements.</b> If the first token after comments and annotations
 *       starts a class, interface, enum, record or annotation type, the example is top-level
 *       declarations (in a file named after its first public type). Otherwise it is statements:
 *       the body of {@code void example() throws Exception} in a class whose fields are the free
 *       variables below (so an example may declare a local of the same name). A lone method or
 *       field does not compile: show it in its type.
 *   <li><b>Imports.</b> On demand: every public API package, the example domain
 *       ({@value ExampleUnit#DOMAIN}), {@code java.math}, {@code java.sql}, {@code java.time},
 *       {@code java.util}, {@code java.util.concurrent}, {@code java.util.concurrent.atomic},
 *       {@code java.util.function}, {@code javax.sql}. By name, so they win over the rest: the type
 *       the comment is in, then the public annotation types whose simple name is still free; so
 *       {@code Projection} is the interface in the Javadoc of {@code dev.eventsource.Projection}
 *       and the annotation everywhere else. Anything else: begin the example with its
 *       {@code import} lines.
 *   <li><b>The example domain</b> is the quick start's ({@code tests/.../quickstart}): aggregate
 *       {@code Order} (fields {@code id}, {@code status}, {@code amount}; stream type
 *       {@code "Order"}), events {@code OrderCreated(String id, String customerId, double amount)}
 *       and {@code OrderStatusChanged(String id, String status)}, command
 *       {@code CreateOrder(String id, String customerId, double amount)}, projection
 *       {@code OrderSummary}, and their generated {@code Order_Aggregate},
 *       {@code OrderSummary_Projection}, {@code OrderCreated_Codec}. A declaration example may
 *       declare its own {@code Order}; its own wins in its file.
 *   <li><b>Free variables</b> of statement examples ({@link ExampleUnit#FREE_VARIABLES}):
 *       {@code Engine engine}, {@code EventStore store}, {@code DataSource dataSource},
 *       {@code org.slf4j.Logger log}, {@code Order order}, {@code OrderSummary summary},
 *       {@code EventEnvelope<?> envelope}, {@code List<NewEvent> events}, {@code byte[] json} (UTF-8
 *       JSON), and Jackson's {@code JsonGenerator generator} and {@code JsonParser parser}. Add one
 *       only when examples need it; {@link #everyFreeVariableIsUsedByAnExample} fails on one that
 *       no example uses.
 *   <li><b>Public API only.</b> A reference to a {@code dev.eventsource} package that is not
 *       public API ({@code ...internal}, the processor) fails, even where it compiles.
 * </ul>
 */
class JavadocExamplesTest {

    private static final PublicApi API = PublicApi.of(Path.of(".."));
    private static ExampleCompiler compiler;

    @BeforeAll
    static void startCompiler() {
        compiler = new ExampleCompiler(List.copyOf(onClassPath().keySet()), API.annotations());
    }

    @AfterAll
    static void closeCompiler() throws IOException {
        compiler.close();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleCompilesAgainstThePublicApi() {
        List<JavadocExample> examples = API.examples();
        assertThat(examples).as("Javadoc examples of the public API in %s", API.sources()).isNotEmpty();
        return examples.stream().map(example -> DynamicTest.dynamicTest(example.name(),
                URI.create(example.uri() + "?line=" + example.line()), () -> assertCompiles(example)));
    }

    @Test
    void everyPublicApiPackageIsOnTheTestClassPath() {
        List<String> missing = new ArrayList<>(API.packages().keySet());
        missing.removeAll(onClassPath().keySet());
        assertThat(missing).as("public API packages whose module is no test dependency in tests/pom.xml (their examples"
                + " cannot compile)").isEmpty();
        assertThat(API.packages()).containsKeys("dev.eventsource", "dev.eventsource.annotations", "dev.eventsource.spi",
                "dev.eventsource.store", "dev.eventsource.store.postgres");
    }

    @Test
    void everyFreeVariableIsUsedByAnExample() {
        String code = API.examples().stream().map(e -> String.join("\n", e.code())).collect(Collectors.joining("\n"));
        List<String> unused = ExampleUnit.FREE_VARIABLES.keySet().stream()
                .filter(name -> !Pattern.compile("\\b" + name + "\\b").matcher(code).find())
                .collect(Collectors.toList());
        assertThat(unused).as("free variables no example uses (remove them from ExampleUnit.FREE_VARIABLES)").isEmpty();
    }

    @Test
    void aBrokenExampleFailsNamingItsFileAndLine() {
        JavadocExample broken = single("""
                package dev.eventsource;

                /**
                 * Starts.
                 *
                 * <pre>{@code
                 * engine.start();
                 * engine.startTwice();
                 * }</pre>
                 */
                public final class Engine {}
                """);

        assertThat(broken.name()).isEqualTo("runtime/Engine.java:6");
        assertThat(compiler.problems(broken)).singleElement().asString()
                .startsWith("runtime/Engine.java:8: cannot find symbol").contains("startTwice()");
    }

    @Test
    void anExampleUsingInternalsFails() {
        JavadocExample internal = single("""
                package dev.eventsource;

                /**
                 * <pre>{@code
                 * var descriptor = dev.eventsource.internal.Descriptors.aggregate(Order.class);
                 * }</pre>
                 */
                public final class Engine {}
                """);

        assertThat(compiler.problems(internal)).singleElement().asString()
                .startsWith("runtime/Engine.java:5: uses dev.eventsource.internal.Descriptors of"
                        + " dev.eventsource.internal, which is not public API");
    }

    @Test
    void theProcessorChecksDeclarationExamples() {
        JavadocExample privateApply = single("""
                package dev.eventsource;

                /**
                 * <pre>{@code
                 * @Aggregate
                 * public class Order extends AggregateRoot {
                 *     String id;
                 *     @Override public String id() { return id; }
                 *     @Apply private void on(OrderCreated e) { id = e.id(); }
                 * }
                 * }</pre>
                 */
                public final class Engine {}
                """);

        assertThat(compiler.problems(privateApply)).singleElement().asString()
                .startsWith("runtime/Engine.java:9: [ApplyPrivate] @Apply method");
    }

    @Test
    void anHtmlEscapeFailsBecauseJavadocShowsItVerbatim() {
        JavadocExample escaped = single("""
                package dev.eventsource;

                /**
                 * <pre>{@code
                 * List&lt;String> names = List.of();
                 * }</pre>
                 */
                public final class Engine {}
                """);

        assertThat(compiler.problems(escaped)).first().asString()
                .isEqualTo("runtime/Engine.java:5: javadoc shows '&lt;' verbatim inside {@code ...}: write the"
                        + " character itself (only braces must balance)");
    }

    @Test
    void declarationsAreToldFromStatements() {
        assertThat(ExampleUnit.declaresTypes("@Aggregate(name = \"order\", snapshotEvery = 50)\npublic class Order {}"))
                .isTrue();
        assertThat(ExampleUnit.declaresTypes("// a comment\nrecord Paid(String id) {}")).isTrue();
        assertThat(ExampleUnit.declaresTypes("@interface Marker {}")).isTrue();
        assertThat(ExampleUnit.declaresTypes("Engine engine = Engine.builder().build();")).isFalse();
        assertThat(ExampleUnit.declaresTypes("@SuppressWarnings(\"unused\") var x = 1;")).isFalse();
        assertThat(ExampleUnit.declaresTypes("classes.add(1);")).isFalse();
    }

    private static void assertCompiles(JavadocExample example) {
        List<String> problems = compiler.problems(example);
        if (!problems.isEmpty()) {
            fail(example.name() + ": the Javadoc example does not compile against the public API (the class comment"
                    + " of JavadocExamplesTest says what examples may use):\n  " + String.join("\n  ", problems)
                    + "\ncompiled as:\n" + compiler.wrapped(example));
        }
    }

    private static JavadocExample single(String source) {
        List<JavadocExample> examples = JavadocExamples.parse("runtime/Engine.java", URI.create("file:///Engine.java"),
                source);
        assertThat(examples).hasSize(1);
        return examples.get(0);
    }

    /** The public API packages whose module is on the class path, each with one of its types. */
    private static Map<String, String> onClassPath() {
        Map<String, String> present = new TreeMap<>();
        API.packages().forEach((pkg, type) -> {
            try {
                Class.forName(type, false, JavadocExamplesTest.class.getClassLoader());
                present.put(pkg, type);
            } catch (ClassNotFoundException e) {
                // reported by everyPublicApiPackageIsOnTheTestClassPath
            }
        });
        return present;
    }
}
