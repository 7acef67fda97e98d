package dev.eventsource.tests.build;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.eventsource.AggregateRoot;
import dev.eventsource.EventSourceException;
import java.util.regex.Pattern;

/**
 * The allowed dependencies between the library's packages and modules, as docs/architecture.md
 * draws them; a new dependency outside them fails here. Only the library's own classes are analysed
 * (the main output of annotations, runtime, postgres, testing, processor, micrometer, opentelemetry and
 * spring-boot-starter), not tests or samples.
 *
 * <p>The one cycle by design, between the API package and the engine's internals:
 * {@link AggregateRoot} (API) hands its recorded events and its version to the engine
 * ({@code internal.AggregateAccess}), which the engine (internal) uses while it runs commands on
 * API types. The store SPI is below both: it knows nothing of the engine, only the root of the
 * exception hierarchy ({@link EventSourceException}).
 */
@AnalyzeClasses(packages = "dev.eventsource", importOptions = ArchitectureTest.LibraryOnly.class)
class ArchitectureTest {

    private static final String API = "dev.eventsource";
    private static final String SPI = "dev.eventsource.spi";
    private static final String STORE = "dev.eventsource.store";
    private static final String INTERNAL = "dev.eventsource.internal..";
    private static final String POSTGRES = "dev.eventsource.store.postgres..";
    private static final String TESTING = "dev.eventsource.testing..";
    private static final String PROCESSOR = "dev.eventsource.processor..";
    private static final String ANNOTATIONS = "dev.eventsource.annotations..";
    private static final String SPRING = "dev.eventsource.spring..";
    private static final String MICROMETER = "dev.eventsource.micrometer..";
    private static final String OPENTELEMETRY = "dev.eventsource.opentelemetry..";
    private static final String[] RUNTIME = {API, SPI, STORE, INTERNAL};

    /** The main output of the library modules: classes directories and jars, never test classes. */
    static final class LibraryOnly implements ImportOption {
        private static final Pattern LIBRARY = Pattern.compile(
                ".*/(annotations|runtime|postgres|testing|processor|micrometer|opentelemetry|spring-boot-starter)/target/classes/.*"
                        + "|.*/eventsource-(annotations|runtime|postgres|testing|processor|micrometer|opentelemetry|spring-boot-starter)-[^/]*(?<!-tests)\\.jar!/.*");

        @Override
        public boolean includes(Location location) {
            return location.matches(LIBRARY);
        }
    }

    @ArchTest
    static final ArchRule annotationsNeedNothing = classes().that().resideInAPackage(ANNOTATIONS)
            .should().onlyDependOnClassesThat().resideInAnyPackage(ANNOTATIONS, "java..");

    @ArchTest
    static final ArchRule storeSpiNeedsOnlyTheRootException = classes().that().resideInAPackage(STORE)
            .should().onlyDependOnClassesThat(resideInAnyPackage(STORE, "java..", "org.slf4j..")
                    .or(equivalentTo(EventSourceException.class)))
            .because("stores are written against the SPI alone; the engine depends on them, not the reverse");

    @ArchTest
    static final ArchRule generatedCodeContractsNeedOnlyTheApi = classes().that().resideInAPackage(SPI)
            .should().onlyDependOnClassesThat().resideInAnyPackage(SPI, API, STORE, "java..",
                    "com.fasterxml.jackson.core..")
            .because("generated code compiles against dev.eventsource.spi and the API only");

    @ArchTest
    static final ArchRule runtimeKnowsNoOtherModule = noClasses().that().resideInAnyPackage(RUNTIME)
            .should().dependOnClassesThat().resideInAnyPackage(POSTGRES, TESTING, PROCESSOR, SPRING, MICROMETER,
                    OPENTELEMETRY);

    @ArchTest
    static final ArchRule springStarterUsesThePublicApiOnly = noClasses().that().resideInAPackage(SPRING)
            .should().dependOnClassesThat().resideInAnyPackage(INTERNAL, "dev.eventsource.store.postgres.internal..",
                    TESTING, PROCESSOR)
            .because("the starter wires the engine and the store through their builders, as an application would");

    @ArchTest
    static final ArchRule postgresUsesThePublicApiOnly = classes().that().resideInAPackage(POSTGRES)
            .should().onlyDependOnClassesThat().resideInAnyPackage(POSTGRES, API, STORE, "java..", "javax.sql..",
                    "org.postgresql..", "org.slf4j..", "com.fasterxml.jackson.core..")
            .because("a store is an ordinary SPI implementation: no engine internals, no generated-code contracts");

    @ArchTest
    static final ArchRule metricsUseThePublicApiOnly = classes().that().resideInAPackage(MICROMETER)
            .should().onlyDependOnClassesThat().resideInAnyPackage(MICROMETER, API, STORE, "java..", "io.micrometer..",
                    "org.slf4j..")
            .because("the metrics see the engine as an application does: an interceptor, an observer, projectionStatus()");

    @ArchTest
    static final ArchRule tracingUsesThePublicApiOnly = classes().that().resideInAPackage(OPENTELEMETRY)
            .should().onlyDependOnClassesThat().resideInAnyPackage(OPENTELEMETRY, API, STORE, "java..",
                    "io.opentelemetry.api..", "io.opentelemetry.context..")
            .because("the tracing module needs the OpenTelemetry API alone; the SDK is the application's");

    @ArchTest
    static final ArchRule testingUsesThePublicApiOnly = noClasses().that().resideInAPackage(TESTING)
            .should().dependOnClassesThat().resideInAnyPackage(INTERNAL, POSTGRES, PROCESSOR);

    @ArchTest
    static final ArchRule processorKnowsNoRuntimeClass = classes().that().resideInAPackage(PROCESSOR)
            .should().onlyDependOnClassesThat().resideInAnyPackage(PROCESSOR, "java..", "javax.annotation.processing..",
                    "javax.lang.model..", "javax.tools..", "com.palantir.javapoet..", "com.google.auto.service..",
                    "com.sun.source..")
            .because("the processor names runtime types in generated source, it never loads them (com.sun.source:"
                    + " javac's Trees API, read for the snapshot fingerprint's @Apply hash, with a fallback without it)");

    @ArchTest
    static final ArchRule processorModelIsPlainData = classes().that().resideInAPackage("dev.eventsource.processor.model..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.eventsource.processor.model..", "java..",
                    "javax.lang.model..");

    @ArchTest
    static final ArchRule processorReadsWithoutWriting = noClasses().that().resideInAPackage("dev.eventsource.processor.read..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.eventsource.processor.write..", "com.palantir.javapoet..");

    @ArchTest
    static final ArchRule processorWritesWithoutReading = noClasses().that().resideInAPackage("dev.eventsource.processor.write..")
            .should().dependOnClassesThat().resideInAPackage("dev.eventsource.processor.read..");

    /**
     * Every package is a slice, and slices form no cycle. Three kinds of dependency back up to the
     * API package are by design and left out: the engine's internals work on API types (see the class
     * comment), the generated-code contracts take them as parameters ({@code AggregateDescriptor}
     * creates an {@code AggregateRoot} and applies an {@code EventEnvelope}), and every exception
     * extends {@link EventSourceException}; and in the Spring starter, its internal helpers read the
     * properties class of the package whose auto-configurations create them. Any other cycle fails.
     */
    @ArchTest
    static final ArchRule noPackageCycles = SlicesRuleDefinition.slices().assignedFrom(new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
            return "one slice per package";
        }
    }).should().beFreeOfCycles()
            .ignoreDependency(resideInAnyPackage(INTERNAL), resideInAnyPackage(API))
            .ignoreDependency(resideInAnyPackage(SPI), resideInAnyPackage(API))
            .ignoreDependency(resideInAnyPackage("dev.eventsource.spring.boot.internal.."),
                    resideInAnyPackage("dev.eventsource.spring.boot"))
            .ignoreDependency(resideInAnyPackage(RUNTIME).or(resideInAnyPackage(POSTGRES)),
                    equivalentTo(EventSourceException.class));

}
