package dev.eventsource.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.eventsource.processor.Sources.compile;
import static dev.eventsource.processor.Sources.source;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per diagnostic of versioned events and {@code @Upcast} chains: id and text, file and line.
 * The event name is "T" throughout; {@code T} is its current version unless a test says otherwise.
 */
class UpcastDiagnosticsTest {

    /** An aggregate applying the current version {@code T}. */
    private static final String AGGREGATE = "@Aggregate class Acc extends AggregateRoot {\n"
            + "  public String id() { return null; }\n"
            + "  @Apply void on(T e) {}\n"
            + "}\n";

    private static JavaFileObject versions(String body) {
        return source("Acc", body + AGGREGATE);
    }

    @Test
    void a_chain_that_holds_compiles_cleanly() {
        JavaFileObject src = versions("@EventType(name = \"T\", version = 1) record T1(String id) {\n"
                + "  @Upcast static T up(T1 old) { return new T(old.id(), 0); }\n}\n"
                + "@EventType(name = \"T\", version = 2) record T(String id, int n) {}\n");
        Compilation c = compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.T_Codec").contentsAsUtf8String()
                .contains("$current = T1.up($stored);");
    }

    @Test
    void legacy_version_without_an_upcaster() {
        JavaFileObject src = versions("@EventType(name = \"T\", version = 1) record T1(String id) {}\n"
                + "@EventType(name = \"T\", version = 2) record T(String id) {}\n");
        assertThat(compile(src)).hadErrorContaining("[UpcastMissing] test.T1 is version 1 of \"T\", an older version than"
                + " the current 2 (test.T), but no @Upcast method turns it into version 2, so stored events of version 1"
                + " cannot be read; add one, e.g. in T1: @Upcast static T up(T1 event) { ... }")
                .inFile(src).onLineContaining("record T1(");
    }

    @Test
    void legacy_version_whose_next_version_does_not_exist() {
        JavaFileObject src = versions("@EventType(name = \"T\", version = 1) record T1(String id) {}\n"
                + "@EventType(name = \"T\", version = 3) record T(String id) {}\n");
        assertThat(compile(src)).hadErrorContaining("[UpcastMissing] test.T1 is version 1 of \"T\"")
                .inFile(src).onLineContaining("record T1(");
        assertThat(compile(src)).hadErrorContaining("@Upcast static <version 2 record> up(T1 event) { ... }; no class"
                + " of \"T\" has version 2 (versions here: [1, 3])");
    }

    @Test
    void two_upcasters_from_one_version() {
        JavaFileObject src = versions("@EventType(name = \"T\", version = 1) record T1(String id) {\n"
                + "  @Upcast static T up(T1 old) { return new T(old.id()); }\n"
                + "  @Upcast static T again(T1 old) { return new T(old.id()); }\n}\n"
                + "@EventType(name = \"T\", version = 2) record T(String id) {}\n");
        assertThat(compile(src)).hadErrorContaining("[UpcastDuplicate] @Upcast method T1.again(...) upcasts version 1"
                + " of \"T\", which @Upcast method T1.up(...) upcasts already; keep one upcaster per version")
                .inFile(src).onLineContaining("static T again(");
    }

    @Test
    void upcaster_that_skips_a_version() {
        JavaFileObject src = versions("@EventType(name = \"T\", version = 1) record T1(String id) {\n"
                + "  @Upcast static T skip(T1 old) { return new T(old.id()); }\n}\n"
                + "@EventType(name = \"T\", version = 2) record T2(String id) {\n"
                + "  @Upcast static T up(T2 old) { return new T(old.id()); }\n}\n"
                + "@EventType(name = \"T\", version = 3) record T(String id) {}\n");
        assertThat(compile(src)).hadErrorContaining("[UpcastNotConsecutive] @Upcast method T1.skip(...) turns version 1"
                + " of \"T\" into version 3; it must return version 2, the next one (chain two upcasters to skip a"
                + " version)").inFile(src).onLineContaining("static T skip(");
    }

    @Test
    void upcaster_to_a_class_that_is_not_versioned_yet() {
        JavaFileObject src = source("Acc", "@EventType(name = \"T\", version = 1) record T1(String id) {\n"
                + "  @Upcast static T up(T1 old) { return new T(old.id()); }\n}\n"
                + "@EventType(name = \"T\") record T(String id) {}\n" + AGGREGATE);
        assertThat(compile(src)).hadErrorContaining("[UpcastNotConsecutive] @Upcast method T1.up(...) turns version 1 of"
                + " \"T\" into version 1; it must return version 2, the next one (chain two upcasters to skip a"
                + " version); if T is the newer class, give it @EventType(name = \"T\", version = 2)")
                .inFile(src).onLineContaining("static T up(");
    }

    @Test
    void upcaster_between_two_names() {
        JavaFileObject src = versions("@EventType(name = \"T\") record T(String id) {}\n"
                + "record Old(String id) {\n  @Upcast static T rename(Old old) { return new T(old.id()); }\n}\n");
        assertThat(compile(src)).hadErrorContaining("[UpcastAcrossNames] @Upcast method Old.rename(...) turns \"Old\""
                + " (test.Old) into \"T\" (test.T), another event name; an upcaster goes from version N to N+1 of one"
                + " stable name. To rename an event type, give the new class @EventType(aliases = \"Old\") instead")
                .inFile(src).onLineContaining("static T rename(");
    }

    @Test
    void upcaster_that_is_not_static() {
        assertSignature("  @Upcast T up(T1 old) { return new T(old.id()); }\n", "is not static", "T up(T1 old)");
    }

    @Test
    void upcaster_that_is_private() {
        assertSignature("  @Upcast private static T up(T1 old) { return new T(old.id()); }\n", "is private",
                "private static T up(");
    }

    @Test
    void upcaster_with_two_parameters() {
        assertSignature("  @Upcast static T up(T1 old, int n) { return new T(old.id()); }\n", "takes 2 parameters",
                "static T up(T1 old, int n)");
    }

    @Test
    void upcaster_that_returns_no_event() {
        assertSignature("  @Upcast static String up(T1 old) { return old.id(); }\n",
                "returns java.lang.String, which is not an event record", "static String up(");
    }

    private static void assertSignature(String method, String problem, String line) {
        JavaFileObject src = versions("@EventType(name = \"T\", version = 1) record T1(String id) {\n" + method + "}\n"
                + "@EventType(name = \"T\", version = 2) record T(String id) {}\n");
        assertThat(compile(src)).hadErrorContaining("[UpcastSignature] @Upcast method T1.up(...) " + problem
                + "; declare it as a static, non-private method taking the version N record of an event and returning"
                + " its version N+1 record").inFile(src).onLineContaining(line);
    }

    /** {@code test.T}, public, in its own file. */
    private static JavaFileObject publicCurrent() {
        return source("T", "@EventType(name = \"T\", version = 2) public record T(String id) {}\n");
    }

    @Test
    void legacy_class_the_current_versions_codec_cannot_see() {
        JavaFileObject legacy = JavaFileObjects.forSourceString("test.legacy.T1", "package test.legacy;\n"
                + "import dev.eventsource.annotations.*;\n"
                + "@EventType(name = \"T\", version = 1) record T1(String id) {\n"
                + "  @Upcast public static test.T up(T1 old) { return new test.T(old.id()); }\n}\n");
        assertThat(compile(legacy, publicCurrent(), source("Acc", AGGREGATE))).hadErrorContaining("[UpcastAccess] test.legacy.T1 is not public, so the"
                + " codec generated for test.T in package test cannot use it to read old events; make it public, or"
                + " move it into package test").inFile(legacy).onLineContaining("record T1(");
    }

    @Test
    void upcaster_the_current_versions_codec_cannot_call() {
        JavaFileObject legacy = JavaFileObjects.forSourceString("test.legacy.T1", "package test.legacy;\n"
                + "import dev.eventsource.annotations.*;\n"
                + "@EventType(name = \"T\", version = 1) public record T1(String id) {\n"
                + "  @Upcast static test.T up(T1 old) { return new test.T(old.id()); }\n}\n");
        assertThat(compile(legacy, publicCurrent(), source("Acc", AGGREGATE))).hadErrorContaining("[UpcastAccess] @Upcast method T1.up(...) is not public")
                .inFile(legacy).onLineContaining("static test.T up(");
    }

    @Test
    void apply_method_taking_a_legacy_version() {
        JavaFileObject src = source("Acc", "@EventType(name = \"T\", version = 1) record T1(String id) {\n"
                + "  @Upcast static T up(T1 old) { return new T(old.id()); }\n}\n"
                + "@EventType(name = \"T\", version = 2) record T(String id) {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n"
                + "  @Apply void on(T e) {}\n"
                + "  @Apply void old(T1 e) {}\n"
                + "}\n");
        assertThat(compile(src)).hadErrorContaining("[ApplyLegacyVersion] @Apply method Acc.old(T1) handles test.T1,"
                + " version 1 of \"T\", which is a legacy version: stored events of that version are upcast to the"
                + " current version 2 (test.T) before any @Apply method sees them; handle T instead")
                .inFile(src).onLineContaining("void old(T1 e)");
    }

    @Test
    void sealed_apply_method_covering_a_legacy_version() {
        JavaFileObject src = source("Acc", "sealed interface Ev permits T1, T {}\n"
                + "@EventType(name = \"T\", version = 1) record T1(String id) implements Ev {\n"
                + "  @Upcast static T up(T1 old) { return new T(old.id()); }\n}\n"
                + "@EventType(name = \"T\", version = 2) record T(String id) implements Ev {}\n"
                + "@Projection class Acc {\n"
                + "  @Apply void any(Ev e) {}\n"
                + "}\n");
        assertThat(compile(src)).hadErrorContaining("[ApplyLegacyVersion] @Apply method Acc.any(Ev) handles test.T1,"
                + " version 1 of \"T\"")
                .inFile(src).onLineContaining("void any(Ev e)");
        assertThat(compile(src)).hadErrorContaining("(T1 is a permitted subtype of Ev; a legacy class must not implement"
                + " a handled sealed interface)");
    }
}
