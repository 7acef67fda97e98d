package dev.eventsource.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.eventsource.processor.Sources.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * A bug in the processor (an exception escaping it) is reported as {@code [ProcessorException]} on the
 * type being processed, javac does not crash, and the other types are still generated.
 *
 * <p>How the processor is made to fail: not through a seam in the processor (no test-only option,
 * system property or hook ships with it), but by running it, unchanged, with a {@link
 * ProcessingEnvironment} whose {@link Filer}, {@link Types} or {@link Elements} throws for one type. That is the least
 * intrusive way in, and the exceptions take the same path a bug of the processor's own would.
 */
class ProcessorExceptionTest {

    private static JavaFileObject aggregate(String name, String event) {
        return source(name, "record " + event + "(String id) {}\n"
                + "@Aggregate class " + name + " extends AggregateRoot {\n"
                + "  public String id() { return null; }\n"
                + "  @Apply void on(" + event + " e) {}\n"
                + "}\n");
    }

    @Test
    void an_error_while_reading_one_type_is_reported_on_it_and_the_others_still_generate() {
        JavaFileObject boom = aggregate("Boom", "BoomEvent");
        JavaFileObject fine = aggregate("Fine", "FineEvent");
        // The reader asks for the supertypes of every handled event type (looking for sealed ones).
        BiConsumer<Method, Object[]> fault = (method, args) -> {
            if (method.getName().equals("directSupertypes") && args[0].toString().equals("test.BoomEvent")) {
                throw new NoClassDefFoundError("com/acme/Missing");
            }
        };
        Compilation compilation = Compiler.javac().withProcessors(faulty(Types.class, fault)).compile(boom, fine);

        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[ProcessorException] eventsource-processor failed while processing"
                + " @Aggregate test.Boom: java.lang.NoClassDefFoundError: com/acme/Missing. This is a bug in the"
                + " processor, not in your code: please report it at the project's issue tracker with this message.")
                .inFile(boom).onLineContaining("class Boom extends");
        // The first stack frames: where it was thrown (this test's fault), and the processor's frames.
        assertThat(compilation).hadErrorContaining("\tat dev.eventsource.processor.ProcessorExceptionTest.lambda$")
                .inFile(boom).onLineContaining("class Boom extends");
        assertThat(compilation).hadErrorContaining("\tat dev.eventsource.processor.read.HandlerReader.")
                .inFile(boom).onLineContaining("class Boom extends");

        FailedCompilation c = FailedCompilation.of(faulty(Types.class, fault), boom, fine);
        assertThat(c.errors()).hasSize(1);
        assertThat(c.generated()).contains("test/Fine_Aggregate.java", "test/FineEvent_Codec.java",
                        "META-INF/services/dev.eventsource.spi.AggregateDescriptor")
                .doesNotContain("test/Boom_Aggregate.java", "test/BoomEvent_Codec.java");
        assertThat(c.read("META-INF/services/dev.eventsource.spi.AggregateDescriptor"))
                .contains("test.Fine_Aggregate").doesNotContain("Boom");
    }

    @Test
    void an_exception_while_writing_one_type_is_reported_on_it_and_the_others_still_generate() {
        JavaFileObject boom = aggregate("Boom", "BoomEvent");
        JavaFileObject fine = aggregate("Fine", "FineEvent");
        BiConsumer<Method, Object[]> fault = (method, args) -> {
            if (method.getName().equals("createSourceFile") && args[0].toString().equals("test.Boom_Aggregate")) {
                throw new IllegalStateException("the disk is on fire");
            }
        };
        Compilation compilation = Compiler.javac().withProcessors(faulty(Filer.class, fault)).compile(boom, fine);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[ProcessorException] eventsource-processor failed while processing"
                + " @Aggregate test.Boom: java.lang.IllegalStateException: the disk is on fire.")
                .inFile(boom).onLineContaining("class Boom extends");
        assertThat(compilation).hadErrorContaining("the project's issue tracker")
                .inFile(boom).onLineContaining("class Boom extends");

        FailedCompilation c = FailedCompilation.of(faulty(Filer.class, fault), boom, fine);
        assertThat(c.errors()).hasSize(1);
        // The event's codec was written before the descriptor failed.
        assertThat(c.generated()).contains("test/Fine_Aggregate.java", "test/FineEvent_Codec.java",
                "test/BoomEvent_Codec.java").doesNotContain("test/Boom_Aggregate.java");
    }

    @Test
    void an_exception_while_writing_a_services_file_is_reported_and_the_other_one_still_written() {
        JavaFileObject agg = aggregate("Acc", "Created");
        JavaFileObject view = source("View", "@Projection class View {\n  @Apply void on(Created e) {}\n}\n");
        BiConsumer<Method, Object[]> fault = (method, args) -> {
            if (method.getName().equals("createResource") && args[2].toString().endsWith("AggregateDescriptor")) {
                throw new IllegalArgumentException("bad resource name");
            }
        };
        Compilation compilation = Compiler.javac().withProcessors(faulty(Filer.class, fault)).compile(agg, view);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[ProcessorException] eventsource-processor failed while writing"
                + " META-INF/services/dev.eventsource.spi.AggregateDescriptor: java.lang.IllegalArgumentException:"
                + " bad resource name.");

        FailedCompilation c = FailedCompilation.of(faulty(Filer.class, fault), agg, view);
        assertThat(c.errors()).hasSize(1);
        assertThat(c.generated()).contains("test/Acc_Aggregate.java", "test/View_Projection.java",
                "META-INF/services/dev.eventsource.spi.ProjectionDescriptor")
                .doesNotContain("META-INF/services/dev.eventsource.spi.AggregateDescriptor");
    }

    @Test
    void an_exception_outside_any_one_type_is_reported_on_the_compilation() {
        JavaFileObject agg = aggregate("Acc", "Created");
        // Looked up once per round, before the projections of the round are processed.
        BiConsumer<Method, Object[]> fault = (method, args) -> {
            if (method.getName().equals("getTypeElement")
                    && args[args.length - 1].toString().equals("dev.eventsource.annotations.Projection")) {
                throw new UnsupportedOperationException("no projections today");
            }
        };
        Compilation compilation = Compiler.javac().withProcessors(faulty(Elements.class, fault)).compile(agg);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[ProcessorException] eventsource-processor failed while processing"
                + " a round: java.lang.UnsupportedOperationException: no projections today.");
        // The aggregates of the round came first and were written; the last round still ran.
        FailedCompilation c = FailedCompilation.of(faulty(Elements.class, fault), agg);
        assertThat(c.generated()).contains("test/Acc_Aggregate.java", "test/Created_Codec.java",
                "META-INF/services/dev.eventsource.spi.AggregateDescriptor");
    }

    @Test
    void the_cause_is_named_too() {
        JavaFileObject boom = aggregate("Boom", "BoomEvent");
        Processor processor = faulty(Filer.class, (method, args) -> {
            if (method.getName().equals("createSourceFile") && args[0].toString().equals("test.Boom_Aggregate")) {
                throw new IllegalStateException("wrapped", new ArithmeticException("underneath"));
            }
        });
        assertThat(Compiler.javac().withProcessors(processor).compile(boom)).hadErrorContaining(
                "java.lang.IllegalStateException: wrapped, caused by java.lang.ArithmeticException: underneath.")
                .inFile(boom).onLineContaining("class Boom extends");
    }

    /**
     * The processor, unchanged, in an environment whose {@code service} ({@link Filer}, {@link Types} or
     * {@link Elements}) first runs {@code fault} on every call; {@code fault} throws to inject a failure.
     */
    private static <T> Processor faulty(Class<T> service, BiConsumer<Method, Object[]> fault) {
        return new WrappedEnvironment(new EventSourceProcessor(), env -> proxy(ProcessingEnvironment.class, (method, args) -> {
            Object real = invoke(method, env, args);
            return service.isInstance(real) ? proxy(service, (m, a) -> {
                fault.accept(m, a);
                return invoke(m, real, a);
            }) : real;
        }));
    }

    /** An implementation of {@code type} that answers every call with {@code answer}. */
    private static <T> T proxy(Class<T> type, BiFunction<Method, Object[], Object> answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.apply(method, args)));
    }

    private static Object invoke(Method method, Object target, Object[] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
