package dev.eventsource.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.eventsource.processor.Sources.compile;
import static dev.eventsource.processor.Sources.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import javax.annotation.processing.Filer;
import javax.lang.model.SourceVersion;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** How the processor behaves across types and rounds: what it generates, defers, skips and reuses. */
class ProcessingTest {

    private static final String SERVICES = "META-INF/services/dev.eventsource.spi.AggregateDescriptor";

    @Test
    void generates_descriptor_codecs_and_service_entries() {
        JavaFileObject src = source("Acc", "record Created(String id, Inner inner) {}\nrecord Inner(int n) {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void on(Created e) {}\n}\n");
        Compilation c = compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.Acc_Aggregate");
        assertThat(c).generatedSourceFile("test.Created_Codec");
        assertThat(c).generatedSourceFile("test.Inner_Codec");
        assertThat(c).generatedFile(StandardLocation.CLASS_OUTPUT, SERVICES).contentsAsUtf8String()
                .contains("test.Acc_Aggregate\n");
    }

    @Test
    void a_broken_type_gets_no_code_and_the_others_still_do() {
        JavaFileObject broken = source("Broken", "record Created(String id) {}\n"
                + "@Aggregate class Broken extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply private void on(Created e) {}\n}\n");
        JavaFileObject fine = source("Fine", "record Other(String id) {}\n"
                + "@Aggregate class Fine extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void on(Other e) {}\n}\n");
        FailedCompilation c = FailedCompilation.of(broken, fine);
        assertThat(c.errors()).hasSize(1);
        assertThat(c.generated()).containsExactlyInAnyOrder("test/Fine_Aggregate.java", "test/Other_Codec.java",
                "META-INF/services/dev.eventsource.spi.AggregateDescriptor");
        assertThat(c.read("META-INF/services/dev.eventsource.spi.AggregateDescriptor")).contains("test.Fine_Aggregate")
                .doesNotContain("Broken");
    }

    @Test
    void a_broken_event_breaks_every_aggregate_using_it_but_is_reported_once() {
        JavaFileObject event = source("Bad", "record Bad(Object o) {}\n");
        JavaFileObject one = source("One", "@Aggregate class One extends AggregateRoot {\n"
                + "  public String id() { return null; }\n  @Apply void on(Bad e) {}\n}\n");
        JavaFileObject two = source("Two", "@Projection class Two {\n  @Apply void on(Bad e) {}\n}\n");
        FailedCompilation c = FailedCompilation.of(event, one, two);
        assertThat(c.errors()).hasSize(1);
        assertThat(c.generated()).isEmpty();
    }

    @Test
    void types_generated_in_a_later_round_are_waited_for() {
        JavaFileObject src = source("Acc", "@Aggregate class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n  @Apply void on(Later e) {}\n}\n");
        Compilation c = Compiler.javac().withProcessors(new GeneratesLater(), new EventSourceProcessor())
                .withOptions(Sources.schemasOption(Sources.freshSchemas())).compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.Acc_Aggregate").contentsAsUtf8String().contains("Later_Codec.INSTANCE");
        assertThat(c).generatedSourceFile("test.Later_Codec");
    }

    @Test
    void codecs_of_types_compiled_earlier_are_reused_not_generated_again() {
        // Legacy and its codec are on the class path (compiled with the test fixtures).
        JavaFileObject src = source("Acc", "import dev.eventsource.processor.fixtures.types.Legacy;\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void on(Legacy e) {}\n}\n");
        Compilation c = compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c.generatedSourceFiles()).extracting(JavaFileObject::getName)
                .containsExactly("/SOURCE_OUTPUT/test/Acc_Aggregate.java");
        assertThat(c).generatedSourceFile("test.Acc_Aggregate").contentsAsUtf8String().contains("Legacy_Codec.INSTANCE");
    }

    @Test
    void an_event_shared_by_two_aggregates_gets_one_codec() {
        JavaFileObject src = source("Acc", "record Shared(String id) {}\n"
                + "@Aggregate class A1 extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void on(Shared e) {}\n}\n"
                + "@Aggregate class A2 extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void on(Shared e) {}\n}\n");
        Compilation c = compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c.generatedSourceFiles()).filteredOn(f -> f.getName().endsWith("Shared_Codec.java")).hasSize(1);
        assertThat(c).generatedFile(StandardLocation.CLASS_OUTPUT, SERVICES).contentsAsUtf8String()
                .contains("test.A1_Aggregate\ntest.A2_Aggregate\n");
    }

    @Test
    void nested_aggregates_and_events_are_named_with_underscores() {
        JavaFileObject src = source("Outer", "class Outer {\n  record Made(String id) {}\n"
                + "  @Aggregate static class Inner extends AggregateRoot {\n    public String id() { return null; }\n"
                + "    @Apply void on(Made e) {}\n  }\n}\n");
        Compilation c = compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.Outer_Inner_Aggregate").contentsAsUtf8String()
                .contains("case \"Made\":");
        assertThat(c).generatedSourceFile("test.Outer_Made_Codec");
        assertThat(c).generatedFile(StandardLocation.CLASS_OUTPUT, SERVICES).contentsAsUtf8String()
                .contains("test.Outer_Inner_Aggregate");
    }

    @Test
    void no_snapshot_codec_when_snapshots_are_off() {
        JavaFileObject src = source("Acc", "record Created(String id) {}\n"
                + "@Aggregate(snapshotEvery = Aggregate.NO_SNAPSHOTS) class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n  @Apply void on(Created e) {}\n}\n");
        Compilation c = compile(src);
        String generated = contents(c, "test.Acc_Aggregate");
        assertThat(generated).contains("return -1;").contains("return null;").doesNotContain("StateCodec");
    }

    @Test
    void an_aggregate_without_apply_methods_still_works_and_rejects_every_event() {
        JavaFileObject src = source("Acc", "@Aggregate class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n}\n");
        Compilation c = compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.Acc_Aggregate").contentsAsUtf8String()
                .contains("throw new UnknownEventException(STREAM_TYPE, event.getClass().getName());");
    }

    @Test
    void processor_does_not_claim_the_annotations() {
        assertThat(new EventSourceProcessor().getSupportedAnnotationTypes()).contains("dev.eventsource.annotations.Apply");
        assertThat(new EventSourceProcessor().getSupportedSourceVersion()).isEqualTo(SourceVersion.latestSupported());
    }

    /** Stands for another processor that generates an event type in its first round. */
    static final class GeneratesLater extends FirstRoundProcessor {
        @Override
        void firstRound(Filer filer) throws IOException {
            try (Writer w = filer.createSourceFile("test.Later").openWriter()) {
                w.write("package test;\npublic record Later(String value) {}\n");
            }
        }
    }

    @Test
    void event_types_get_codecs_without_any_aggregate() {
        JavaFileObject src = source("Shared", "@EventType(name = \"shared\") record Shared(Part part) {}\n"
                + "record Part(String id) {}\n");
        Compilation c = compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.Shared_Codec").contentsAsUtf8String().contains("NAME = \"shared\"");
        assertThat(c).generatedSourceFile("test.Part_Codec");
    }

    @Test
    void event_type_on_something_that_cannot_be_an_event_is_an_error() {
        JavaFileObject src = source("Bad", "@EventType interface Bad {}\n");
        assertThat(compile(src)).hadErrorContaining("[EventNotValueType] test.Bad cannot be an event or value type: it is"
                + " an interface that is not sealed").inFile(src).onLineContaining("interface Bad");
    }

    @Test
    void event_type_on_a_sealed_interface_says_it_can_be_a_field_type() {
        JavaFileObject src = source("Bad", "@EventType sealed interface Bad permits Ok {}\nrecord Ok() implements Bad {}\n");
        assertThat(compile(src)).hadErrorContaining("[EventNotValueType] test.Bad cannot be an event or value type: it is"
                + " a sealed interface, which can be handled by @Apply methods or be the type of a field (written as"
                + " {\"<subtype>\": {...}}), but is not a value type itself").inFile(src).onLineContaining("interface Bad");
    }

    @Test
    void sealed_field_types_may_be_recursive_and_their_subtypes_get_codecs() {
        JavaFileObject src = source("Tree", "@EventType record Planted(Tree tree) {}\n"
                + "sealed interface Tree permits Leaf, Node {}\nrecord Leaf(int value) implements Tree {}\n"
                + "record Node(List<Tree> children, Map<Integer, Tree> byIndex) implements Tree {}\n");
        Compilation c = compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.Leaf_Codec");
        assertThat(c).generatedSourceFile("test.Node_Codec").contentsAsUtf8String()
                .contains("switch (CodecSupport.beginVariant(in, \"Tree\", \"Leaf, Node\"))");
    }

    private static String fingerprintedAggregate(String fields) {
        return fingerprintedAggregate("@Aggregate", fields, "  @Apply void on(Created e) {}\n");
    }

    private static String fingerprintedAggregate(String annotation, String fields, String applies) {
        Compilation c = compile(source("Acc", "record Created(String id) {}\nrecord Money(long cents, String currency) {}\n"
                + "enum Kind { A, B }\n"
                + annotation + " class Acc extends AggregateRoot {\n" + fields + "  public String id() { return null; }\n"
                + applies + "}\n"));
        assertThat(c).succeededWithoutWarnings();
        return contents(c, "test.Acc_Aggregate");
    }

    /** The canonical text the generated FINGERPRINT's Javadoc shows. */
    private static String canonical(String generated) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{@code (.*\\|snapshotVersion:\\d+(?:\\|apply:[0-9a-f]{16})?)}").matcher(generated);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }

    private static long fingerprint(String generated) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("FINGERPRINT = 0x([0-9a-f]{16})L").matcher(generated);
        assertThat(m.find()).isTrue();
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    @Test
    void fingerprint_is_fnv1a_of_the_documented_canonical_shape() {
        String generated = fingerprintedAggregate("  int count;\n  List<Money> paid;\n  Kind kind;\n");
        String shape = "count:int,paid:java.util.List<test.Money{cents:long,currency:java.lang.String}>,kind:test.Kind[A,B]";
        String canonical = canonical(generated);
        assertThat(canonical).matches(java.util.regex.Pattern.quote(shape + "|snapshotVersion:1|apply:") + "[0-9a-f]{16}");
        assertThat(fingerprint(generated)).isEqualTo(fnv1a64(canonical));
    }

    @Test
    void fingerprint_changes_with_the_apply_bodies_but_not_with_their_comments_or_layout() {
        String fields = "  int count;\n";
        long base = fingerprint(fingerprintedAggregate("@Aggregate", fields, "  @Apply void on(Created e) { count += 1; }\n"));

        assertThat(fingerprint(fingerprintedAggregate("@Aggregate", fields,
                "  // counts creations\n  @Apply\n  void on(Created   e)   {\n\n      count += 1;   /* one each */\n  }\n")))
                .as("comments, blank lines and indentation").isEqualTo(base);
        assertThat(fingerprint(fingerprintedAggregate("@Aggregate", fields,
                "  /** Counts creations. */\n  @Apply void on(Created e) { count += 1; }\n")))
                .as("a Javadoc comment").isEqualTo(base);
        assertThat(fingerprint(fingerprintedAggregate("@Aggregate", fields, "  @Apply void on(Created e) { count += 2; }\n")))
                .as("another body").isNotEqualTo(base);
        assertThat(fingerprint(fingerprintedAggregate("@Aggregate", fields, "  @Apply void on(Created created) { count += 1; }\n")))
                .as("another parameter name is another text").isNotEqualTo(base);
    }

    @Test
    void fingerprint_changes_with_the_snapshot_version() {
        String applies = "  @Apply void on(Created e) {}\n";
        long base = fingerprint(fingerprintedAggregate("@Aggregate", "  int count;\n", applies));

        assertThat(fingerprint(fingerprintedAggregate("@Aggregate(snapshotVersion = 1)", "  int count;\n", applies))).isEqualTo(base);
        String bumped = fingerprintedAggregate("@Aggregate(snapshotVersion = 2)", "  int count;\n", applies);
        assertThat(fingerprint(bumped)).isNotEqualTo(base);
        assertThat(canonical(bumped)).startsWith("count:int|snapshotVersion:2|apply:");
    }

    @Test
    void without_javacs_trees_the_fingerprint_covers_fields_and_snapshot_version_and_a_note_says_so_once() {
        JavaFileObject src = source("Acc", "record Created(String id) {}\n"
                + "@Aggregate(snapshotVersion = 3) class Acc extends AggregateRoot {\n  int count;\n"
                + "  public String id() { return null; }\n  @Apply void on(Created e) { count++; }\n}\n"
                + "@Aggregate class Other extends AggregateRoot {\n  int count;\n"
                + "  public String id() { return null; }\n  @Apply void on(Created e) { count++; }\n}\n");
        Compilation c = Compiler.javac().withProcessors(new WrappedEnvironment(new EventSourceProcessor()))
                .compile(src);

        assertThat(c).succeeded();
        assertThat(c.notes().stream().filter(d -> d.getMessage(null).contains("[SnapshotLogicUnhashed]")).count()).isEqualTo(1);
        assertThat(c).hadNoteContaining("[SnapshotLogicUnhashed] this compiler offers no javac Trees API (")
                .inFile(src).onLineContaining("class Acc");
        assertThat(c).hadNoteContaining("so the snapshot fingerprints of test.Acc and of every other aggregate of this"
                + " compilation cover the state fields and @Aggregate(snapshotVersion) only");
        String generated = contents(c, "test.Acc_Aggregate");
        assertThat(canonical(generated)).isEqualTo("count:int|snapshotVersion:3");
        assertThat(fingerprint(generated)).isEqualTo(fnv1a64("count:int|snapshotVersion:3"));
    }

    @Test
    void fingerprint_text_of_string_maps_is_unchanged_and_includes_key_types_and_discriminators() {
        String generated = fingerprintedAggregate("  Map<String, Integer> byName;\n  Map<Kind, Integer> byKind;\n"
                + "  Map<UUID, Long> byId;\n  int[] counts;\n");
        assertThat(generated).contains("{@code byName:java.util.Map<java.lang.String,java.lang.Integer>,"
                + "byKind:java.util.Map<test.Kind[A,B],java.lang.Integer>,byId:java.util.Map<java.util.UUID,java.lang.Long>,"
                + "counts:int[]|snapshotVersion:1|apply:");
        String sealed = "sealed interface Pay permits Card, Cash {}\nrecord Card(String last4) implements Pay {}\n"
                + "%s record Cash(long cents) implements Pay {}\n";
        String a = contents(compileAggregateWith(String.format(sealed, "")), "test.Acc_Aggregate");
        assertThat(a).contains("{@code pay:test.Pay(Card=test.Card{last4:java.lang.String}|Cash=test.Cash{cents:long})"
                + "|snapshotVersion:1|apply:");
        String b = contents(compileAggregateWith(String.format(sealed, "@EventType(name = \"cash\")")), "test.Acc_Aggregate");
        assertThat(fingerprint(b)).isNotEqualTo(fingerprint(a));
    }

    private static Compilation compileAggregateWith(String types) {
        Compilation c = compile(source("Acc", types + "record Created(String id) {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  Pay pay;\n  public String id() { return null; }\n"
                + "  @Apply void on(Created e) {}\n}\n"));
        assertThat(c).succeededWithoutWarnings();
        return c;
    }

    @Test
    void fingerprint_changes_with_the_shape_of_the_state_and_only_then() {
        long base = fingerprint(fingerprintedAggregate("  int count;\n  Money paid;\n"));
        assertThat(fingerprint(fingerprintedAggregate("  int count;\n  Money paid;\n"))).isEqualTo(base);
        assertThat(fingerprint(fingerprintedAggregate("  int count;\n  Money paid;\n  transient int cache;\n")))
                .isEqualTo(base);
        assertThat(fingerprint(fingerprintedAggregate("  long count;\n  Money paid;\n"))).isNotEqualTo(base);
        assertThat(fingerprint(fingerprintedAggregate("  int total;\n  Money paid;\n"))).isNotEqualTo(base);
        assertThat(fingerprint(fingerprintedAggregate("  Money paid;\n  int count;\n"))).isNotEqualTo(base);
        assertThat(fingerprint(fingerprintedAggregate("  int count;\n  Money paid;\n  Kind kind;\n"))).isNotEqualTo(base);
    }

    static String contents(Compilation c, String type) {
        try {
            return c.generatedSourceFile(type).orElseThrow().getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
