package dev.eventsource.tests.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.postgres.PgTestDatabase;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library as a user's named module sees it: the application in {@code src/test/modules/shop}
 * ({@code requires dev.eventsource}, {@code requires dev.eventsource.store.postgres}) is compiled by
 * javac on the module path with the annotation processor, and run in its own JVM with every library
 * jar on the module path. The rest of the suite runs on the class path, so together they cover both.
 *
 * <p>The library modules come from this test's class path, found by their module names, so Maven's
 * reactor output (classes directories or jars) is what is tested.
 */
class NamedModuleTest {

    private static final Path SOURCES = Paths.get("src/test/modules");
    private static final Set<String> LIBRARY = Set.of("dev.eventsource.annotations", "dev.eventsource",
            "dev.eventsource.store.postgres", "com.fasterxml.jackson.core", "org.slf4j", "org.slf4j.simple",
            "org.postgresql.jdbc");

    @TempDir
    Path work;

    @Test
    void generatedCodeCompilesAndRunsInANamedModule() throws Exception {
        Path out = work.resolve("out");
        List<Diagnostic<? extends JavaFileObject>> diagnostics = compile(SOURCES, out);
        assertThat(diagnostics).as("javac diagnostics").isEmpty();
        assertThat(out.resolve("shop/shop/Cart_Aggregate.class")).exists();

        String schema = "named_module";
        PgTestDatabase.execute("drop schema if exists " + schema + " cascade");
        try {
            Process java = new ProcessBuilder(javaExecutable(), "--module-path", out + File.pathSeparator + modulePath(LIBRARY),
                    "--module", "shop/shop.Main", PgTestDatabase.URL, schema)
                    .redirectErrorStream(true).start();
            String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(java.waitFor(60, TimeUnit.SECONDS)).as("the application finished").isTrue();
            assertThat(java.exitValue()).as(output).isZero();
            assertThat(output).contains("module shop, engine in dev.eventsource")
                    .contains("memory: cart items=5 version=2 projected=5 caughtUp=true")
                    .contains("postgres: cart items=5 version=2 projected=5 caughtUp=true")
                    .as("the store reads the driver module, so it listens instead of polling")
                    .doesNotContain("onAppend listeners poll the log instead");
        } finally {
            PgTestDatabase.execute("drop schema if exists " + schema + " cascade");
        }
    }

    @Test
    void aModuleThatDoesNotProvideAGeneratedDescriptorIsACompileErrorOnTheType() throws Exception {
        Path sources = work.resolve("src");
        copy(SOURCES, sources);
        Path moduleInfo = sources.resolve("shop/module-info.java");
        Files.writeString(moduleInfo, Files.readString(moduleInfo)
                .replace("    provides dev.eventsource.spi.AggregateDescriptor with shop.Cart_Aggregate;\n", ""));

        List<Diagnostic<? extends JavaFileObject>> diagnostics = compile(sources, work.resolve("out"));

        assertThat(diagnostics).hasSize(1);
        Diagnostic<? extends JavaFileObject> error = diagnostics.get(0);
        assertThat(error.getKind()).isEqualTo(Diagnostic.Kind.ERROR);
        assertThat(error.getMessage(Locale.ROOT)).isEqualTo("[MissingProvides] Cart is in module shop, whose"
                + " module-info.java does not provide its generated shop.Cart_Aggregate; in a named module"
                + " ServiceLoader, which the engine uses to find generated code, reads only module-info.java."
                + " Declare it there (one directive per service):"
                + " provides dev.eventsource.spi.AggregateDescriptor with shop.Cart_Aggregate;");
        assertThat(Paths.get(error.getSource().toUri())).endsWith(Paths.get("shop/shop/Cart.java"));
        assertThat(error.getLineNumber()).isEqualTo(10);
    }

    private static List<Diagnostic<? extends JavaFileObject>> compile(Path sources, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<Path> java;
            try (Stream<Path> walk = Files.walk(sources.resolve("shop"))) {
                java = walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
            }
            // -requires-automatic: the application requires the PostgreSQL driver, an automatic module.
            List<String> options = List.of("--release", "17", "-Xlint:all,-processing,-requires-automatic", "-d",
                    out.toString(),
                    "--module-source-path", sources.toString(), "--module-path", modulePath(LIBRARY),
                    // The processor runs from the processor path, as in a user's build, with its schema lock on.
                    "--processor-path", System.getProperty("java.class.path"),
                    "-Aeventsource.schemas=" + out.resolveSibling(out.getFileName() + "-event-schemas"));
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(java))
                    .call();
            assertThat(ok).as("compiled: %s", diagnostics.getDiagnostics())
                    .isEqualTo(diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR));
        }
        // Notes are left out: a fresh schemas directory gets an [EventSchemaNew] note per event type.
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                .collect(Collectors.toList());
    }

    /** The entries of this test's class path that hold the named modules, by module name. */
    private static String modulePath(Set<String> modules) {
        List<String> found = new ArrayList<>();
        Set<String> missing = new java.util.TreeSet<>(modules);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Paths.get(entry);
            if (!Files.exists(path)) {
                continue;
            }
            for (ModuleReference module : ModuleFinder.of(path).findAll()) {
                if (missing.remove(module.descriptor().name())) {
                    found.add(entry);
                }
            }
        }
        assertThat(missing).as("modules not found on the class path").isEmpty();
        return String.join(File.pathSeparator, found);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}
