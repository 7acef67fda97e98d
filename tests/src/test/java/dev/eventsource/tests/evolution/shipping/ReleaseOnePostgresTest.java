package dev.eventsource.tests.evolution.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.postgres.PgSchema;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Release 1 of the shipping domain (src/test/evolution-v1) is compiled with the processor by this
 * test, run in its own JVM against PostgreSQL, and what it wrote is read by release 3 (this module's
 * {@code shipping} package): "ShipmentBooked" version 1 through the upcaster chain, "ParcelDelivered"
 * through the alias.
 */
class ReleaseOnePostgresTest {

    private static final Path SOURCES = Path.of("src/test/evolution-v1");
    private static final Path CLASSES = Path.of("target/evolution-v1-classes");

    @RegisterExtension
    static final PgSchema db = new PgSchema("es_t_release_one", 4);

    @Test
    void what_release_1_wrote_is_read_by_release_3() throws Exception {
        compileReleaseOne();
        runReleaseOne();

        PostgresStore store = db.store();
        assertThat(VersionsContract.typesAndVersions(store, "s-10")).as("rows as release 1 wrote them")
                .containsExactly("ShipmentBooked@1", "ParcelDelivered@1");

        WeightByCity weights = new WeightByCity();
        try (Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Shipment.class);
            engine.registerProjection(weights, StreamOptions.named("weight-by-city"));
            engine.start();

            Shipment s10 = engine.load(Shipment.class, "s-10").orElseThrow();
            assertThat(s10.to).isEqualTo(new Address("9 Main Street", "Cork"));
            assertThat(s10.weightKg).isEqualTo(new BigDecimal("1.000"));
            assertThat(s10.deliveredAt).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));

            engine.execute(Shipment.class, "s-11", new Shipment.Deliver(Instant.parse("2026-03-02T12:00:00Z")));
            assertThat(VersionsContract.typesAndVersions(store, "s-11"))
                    .containsExactly("ShipmentBooked@1", "ShipmentDelivered@1");
            assertThat(engine.awaitProjections(VersionsContract.WAIT)).isTrue();
            assertThat(weights.kilos).isEqualTo(Map.of("Cork", new BigDecimal("1.000"), "Galway", new BigDecimal("0.300")));
            assertThat(weights.delivered).containsOnlyKeys("s-10", "s-11");
        }
    }

    /** javac with this module's test class path, the eventsource processor found on it. */
    private static void compileReleaseOne() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Files.createDirectories(CLASSES);
        List<File> sources;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).sorted().toList();
        }
        assertThat(sources).hasSize(4);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", CLASSES.toString(),
                    "-processor", "dev.eventsource.processor.EventSourceProcessor", "--release", "17");
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(sources))
                    .call();
            assertThat(ok).as("release 1 compiles: %s", diagnostics.getDiagnostics()).isTrue();
        }
        assertThat(CLASSES.resolve("dev/eventsource/tests/evolution/v1/Shipment_Aggregate.class")).exists();
    }

    private static void runReleaseOne() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", CLASSES + File.pathSeparator + System.getProperty("java.class.path"),
                "dev.eventsource.tests.evolution.v1.WriteShipments", PgTestDatabase.URL, db.name()));
        Process release = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!release.waitFor(120, TimeUnit.SECONDS)) {
            release.destroyForcibly();
            throw new AssertionError("release 1 did not finish within 120 s");
        }
        String output;
        try {
            output = new String(release.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(release.exitValue()).as("release 1 exit code; output:%n%s", output).isZero();
        assertThat(output).contains("release 1 wrote its shipments");
    }
}
