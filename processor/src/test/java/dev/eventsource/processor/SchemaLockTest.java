package dev.eventsource.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.eventsource.processor.Sources.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema lock ({@code -Aeventsource.schemas}): what it writes, when it rewrites, and each of its
 * diagnostics on its element, compiled twice against one schemas directory (the recorded shape, then
 * the changed one).
 */
class SchemaLockTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final String COLOR = "enum Color { RED, GREEN }\n";
    /** A sealed field type with subtypes Card and Cash; {@code more} adds subtypes. */
    private static final String PAY = "sealed interface Pay permits Card, Cash%s {}\n"
            + "record Card(String last4) implements Pay {}\nrecord Cash(int cents) implements Pay {}\n";

    private static JavaFileObject paid(String more, String moreTypes) {
        return placed("", "Pay pay", PAY.formatted(more) + moreTypes);
    }

    @TempDir
    Path schemas;

    private Compilation compile(JavaFileObject... files) {
        return Sources.javac(schemas).compile(files);
    }

    private Path file(String name, int version) {
        return schemas.resolve(name).resolve("v" + version + ".schema.json");
    }

    /** Puts {@code text} where the lock keeps (name, version), as a previous build or a hand edit would have. */
    private Path recorded(String name, int version, String text) throws IOException {
        Path file = file(name, version);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** test.Placed: {@code @EventType<annotation>} with {@code components}, and {@code extra} types after it. */
    private static JavaFileObject placed(String annotation, String components, String extra) {
        return source("Placed", "@EventType" + annotation + " record Placed(" + components + ") {}\n" + extra);
    }

    private static JavaFileObject placed(String components) {
        return placed("", components, COLOR + "record Address(String street) {}\n");
    }

    /** Records {@code before}, asserting the note. */
    private void record(JavaFileObject before) {
        Compilation first = compile(before);
        assertThat(first).succeededWithoutWarnings();
        assertThat(file("Placed", 1)).exists();
    }

    @Test
    void a_new_event_type_is_recorded_and_a_note_asks_to_commit_it() throws IOException {
        JavaFileObject src = placed("String id, int count, Color color, List<Address> addresses");
        Compilation c = compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).hadNoteContaining("[EventSchemaNew] test.Placed is new to the schema lock (\"Placed\" version 1):"
                + " its JSON shape is recorded in " + file("Placed", 1) + "; commit that file with the sources")
                .inFile(src).onLineContaining("record Placed");
        String text = Files.readString(file("Placed", 1));
        assertThat(text).startsWith("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n")
                .contains("\"class\": \"test.Placed\"")
                .contains("\"x-java\": \"java.util.List<test.Address>\"")
                .contains("\"$ref\": \"#/$defs/test.Color\"")
                .contains("\"test.Color\": {\n      \"x-java\": \"test.Color\",\n      \"enum\": [\n        \"RED\",")
                .contains("\"required\": [\n    \"count\"\n  ]")
                .endsWith("}\n");
        // Value types nested in the event are not events: only the event has a file.
        try (Stream<Path> files = Files.walk(schemas)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(file("Placed", 1));
        }
    }

    @Test
    void an_identical_shape_writes_nothing_and_says_nothing() throws IOException {
        JavaFileObject src = placed("String id, Color color");
        record(src);
        Path file = file("Placed", 1);
        FileTime recorded = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(file, recorded);
        byte[] bytes = Files.readAllBytes(file);

        Compilation again = compile(src);
        assertThat(again).succeededWithoutWarnings();
        assertThat(again.notes()).noneMatch(n -> n.getMessage(null).contains("[EventSchema"));
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(recorded);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    @Test
    void a_checkout_with_crlf_line_ends_is_the_same_shape() throws IOException {
        JavaFileObject src = placed("String id");
        record(src);
        Path file = file("Placed", 1);
        String crlf = Files.readString(file).replace("\n", "\r\n");
        Files.writeString(file, crlf);

        Compilation again = compile(src);
        assertThat(again).succeededWithoutWarnings();
        assertThat(again.notes()).noneMatch(n -> n.getMessage(null).contains("[EventSchema"));
        assertThat(Files.readString(file)).isEqualTo(crlf);
    }

    static Stream<Arguments> compatibleChanges() {
        return Stream.of(
                Arguments.of("an Optional field added", placed("String id"), placed("String id, Optional<String> note"),
                        "note: (absent) -> java.util.Optional<java.lang.String>"),
                Arguments.of("a boxed field added", placed("String id"), placed("String id, Integer count"),
                        "count: (absent) -> java.lang.Integer"),
                Arguments.of("a reference field added", placed("String id"), placed("String id, Address address"),
                        "address: (absent) -> test.Address"),
                Arguments.of("a collection field added", placed("String id"), placed("String id, List<String> tags"),
                        "tags: (absent) -> java.util.List<java.lang.String>"),
                Arguments.of("a field removed", placed("String id, int count"), placed("String id"),
                        "count: int -> (removed)"),
                Arguments.of("an enum constant added", placed("Color color"),
                        placed("", "Color color", "enum Color { RED, GREEN, BLUE }\n"),
                        "test.Color.BLUE: (absent) -> enum constant"),
                Arguments.of("an alias added", placed("String id"), placed("(aliases = \"Ordered\")", "String id", ""),
                        "aliases: [] -> [Ordered]"),
                Arguments.of("a subtype added to a sealed field type", paid("", ""),
                        paid(", Voucher", "record Voucher(String code) implements Pay {}\n"),
                        "test.Pay.Voucher: (absent) -> subtype test.Voucher"),
                Arguments.of("the class renamed, keeping the stored name", placed("String id"),
                        source("Renamed", "@EventType(name = \"Placed\") record Renamed(String id) {}\n"),
                        "class: test.Placed -> test.Renamed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compatibleChanges")
    void a_compatible_change_rewrites_the_file_with_a_note(String change, JavaFileObject before, JavaFileObject after,
            String listed) throws IOException {
        record(before);
        String recorded = Files.readString(file("Placed", 1));

        Compilation c = compile(after);
        assertThat(c).succeededWithoutWarnings();
        String simpleName = after.getName().contains("Renamed") ? "Renamed" : "Placed";
        String type = "test." + simpleName;
        assertThat(c).hadNoteContaining("[EventSchemaUpdated] the JSON shape of " + type + " (\"Placed\" version 1)"
                + " changed compatibly (events stored under it still read), so " + file("Placed", 1)
                + " was updated; commit it. Changes:\n    - " + listed)
                .inFile(after).onLineContaining("record " + simpleName);
        assertThat(Files.readString(file("Placed", 1))).isNotEqualTo(recorded);
        // Recorded again: the same shape now says nothing.
        assertThat(compile(after).notes()).noneMatch(n -> n.getMessage(null).contains("[EventSchema"));
    }

    static Stream<Arguments> incompatibleChanges() {
        return Stream.of(
                Arguments.of("a field's type changed", placed("String id, int count"), placed("String id, long count"),
                        "count: int -> long (the type changed, and stored events hold the old one)"),
                Arguments.of("a primitive field added", placed("String id"), placed("String id, boolean paid"),
                        "paid: (absent) -> boolean (a primitive, and stored events have no value for it; make it"
                                + " boxed or Optional)"),
                Arguments.of("an enum constant removed", placed("Color color"),
                        placed("", "Color color", "enum Color { RED }\n"),
                        "test.Color.GREEN: enum constant -> (removed) (stored events may hold it, and it no longer"
                                + " reads)"),
                Arguments.of("a nested record changed", placed("Address address"),
                        placed("", "Address address", "record Address(java.util.UUID street) {}\n"),
                        "test.Address.street: java.lang.String -> java.util.UUID (the type changed"),
                Arguments.of("a subtype removed from a sealed field type",
                        paid(", Voucher", "record Voucher(String code) implements Pay {}\n"), paid("", ""),
                        "test.Pay.Voucher: subtype test.Voucher -> (removed) (stored events may hold it"),
                Arguments.of("a sealed subtype's record changed", paid("", ""),
                        placed("", "Pay pay", "sealed interface Pay permits Card, Cash {}\n"
                                + "record Card(long last4) implements Pay {}\nrecord Cash(int cents) implements Pay {}\n"),
                        "test.Card.last4: java.lang.String -> long"),
                Arguments.of("a map's key type changed", placed("Map<String, Integer> counts"),
                        placed("Map<java.util.UUID, Integer> counts"),
                        "counts: java.util.Map<java.lang.String, java.lang.Integer> -> java.util.Map<java.util.UUID,"
                                + " java.lang.Integer>"),
                Arguments.of("a primitive array's element type changed", placed("int[] scores"), placed("long[] scores"),
                        "scores: int[] -> long[]"),
                Arguments.of("a field inside a collection changed", placed("List<Address> addresses"),
                        placed("", "List<Address> addresses", "record Address(String street, int number) {}\n"),
                        "test.Address.number: (absent) -> int (a primitive"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incompatibleChanges")
    void an_incompatible_change_is_an_error_on_the_record_and_keeps_the_file(String change, JavaFileObject before,
            JavaFileObject after, String listed) throws IOException {
        record(before);
        String recorded = Files.readString(file("Placed", 1));

        Compilation c = compile(after);
        assertThat(c).hadErrorContaining("[EventSchemaChanged] the JSON shape of test.Placed (\"Placed\" version 1)"
                + " changed incompatibly with the one recorded in " + file("Placed", 1) + ", so events stored under it"
                + " could no longer be read:\n    - " + listed).inFile(after).onLineContaining("record Placed");
        assertThat(c).hadErrorContaining("Either make the change compatible (add fields as Optional, boxed types,"
                + " references or collections, never primitives; keep field types and enum constants), or bump"
                + " @EventType(version = 2) and keep the old shape as a legacy class @EventType(name = \"Placed\","
                + " version = 1) with an @Upcast method to the new version. The file was left as it is");
        assertThat(c).hadErrorCount(1);
        assertThat(Files.readString(file("Placed", 1))).isEqualTo(recorded);
    }

    @Test
    void every_difference_is_listed_compatible_ones_too() {
        record(placed("String id, int count, String note"));
        JavaFileObject after = placed("String id, long count, boolean paid");
        // javac indents the lines after the first by two spaces.
        assertThat(compile(after)).hadErrorContaining(":\n"
                + "    - count: int -> long (the type changed, and stored events hold the old one)\n"
                + "    - note: java.lang.String -> (removed)\n"
                + "    - paid: (absent) -> boolean (a primitive").inFile(after).onLineContaining("record Placed");
    }

    @Test
    void a_bumped_version_gets_its_own_file_and_the_legacy_class_keeps_the_old_one() throws IOException {
        record(placed("String id, int count"));
        String v1 = Files.readString(file("Placed", 1));
        JavaFileObject current = placed("(version = 2)", "String id, long count", "");
        JavaFileObject legacy = source("PlacedV1", "@EventType(name = \"Placed\", version = 1)"
                + " record PlacedV1(String id, int count) {\n"
                + "  @Upcast static Placed up(PlacedV1 v1) { return new Placed(v1.id(), v1.count()); }\n}\n");
        Compilation c = compile(current, legacy);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).hadNoteContaining("[EventSchemaNew] test.Placed is new to the schema lock (\"Placed\" version 2)")
                .inFile(current).onLineContaining("record Placed");
        assertThat(c).hadNoteContaining("[EventSchemaUpdated] the JSON shape of test.PlacedV1 (\"Placed\" version 1)"
                + " changed compatibly").inFile(legacy).onLineContaining("record PlacedV1");
        assertThat(Files.readString(file("Placed", 1))).isEqualTo(v1.replace("test.Placed\"", "test.PlacedV1\""));
        assertThat(file("Placed", 2)).exists();
    }

    @Test
    void a_recorded_event_nothing_reads_any_more_is_orphaned() {
        record(placed("String id"));
        JavaFileObject other = source("Shipped", "@EventType record Shipped(String id) {}\n");
        Compilation c = compile(other);
        assertThat(c).hadErrorContaining("[EventSchemaOrphaned] " + file("Placed", 1) + " records event type \"Placed\""
                + " version 1 (class test.Placed), but no event type of this compilation reads it any more (was the"
                + " class renamed or deleted?), so events stored under it would not decode. Keep the stored name"
                + " with @EventType(name = \"Placed\") on the renamed class, or add @EventType(aliases = \"Placed\")"
                + " to it; for a changed shape, keep a legacy class @EventType(name = \"Placed\", version = 1) with"
                + " an @Upcast method to the current version; or delete the file if no such event was ever stored");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void an_alias_reads_the_recorded_name() {
        record(placed("String id"));
        JavaFileObject renamed = source("Ordered", "@EventType(aliases = \"Placed\") record Ordered(String id) {}\n");
        Compilation c = compile(renamed);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).hadNoteContaining("[EventSchemaNew] test.Ordered").inFile(renamed).onLineContaining("record Ordered");
    }

    @Test
    void an_alias_reads_the_recorded_version_when_a_class_of_the_new_name_has_it() {
        record(placed("String id"));
        JavaFileObject current = source("Ordered", "@EventType(version = 2, aliases = \"Placed\")"
                + " record Ordered(String id, long at) {}\n");
        JavaFileObject legacy = source("OrderedV1", "@EventType(name = \"Ordered\") record OrderedV1(String id) {\n"
                + "  @Upcast static Ordered up(OrderedV1 v1) { return new Ordered(v1.id(), 0); }\n}\n");
        assertThat(compile(current, legacy)).succeededWithoutWarnings();
        // Without the version 1 class, nothing reads stored "Placed" version 1 events any more.
        assertThat(compile(current)).hadErrorContaining("[EventSchemaOrphaned] " + file("Placed", 1));
    }

    @Test
    void a_recorded_class_compiled_elsewhere_is_not_orphaned() throws IOException {
        // A partial compile: OrderPlaced is on the class path (compiled with the test fixtures), not compiled now.
        recorded("order-placed", 9, Files.readString(GOLDEN.resolve("order-placed.v2.schema.json"))
                .replace("\"version\": 2", "\"version\": 9"));
        Compilation c = compile(source("Shipped", "@EventType record Shipped(String id) {}\n"));
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void a_file_that_cannot_be_read_is_an_error_and_is_kept() throws IOException {
        Path file = recorded("Placed", 1, "{\n  \"x-eventsource\": {\n    \"name\": \"Placed\",\n  }\n}\n");
        JavaFileObject src = placed("String id");
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("[EventSchemaUnreadable] " + file + " cannot be read as a recorded event"
                + " schema: not valid JSON: line 4, column 3: expected a property name, found '}'; repair it (restore it"
                + " from version control, say) or delete it to record the current shape again: the processor never"
                + " overwrites it").inFile(src).onLineContaining("record Placed");
        assertThat(Files.readString(file)).startsWith("{\n  \"x-eventsource\"");
    }

    @Test
    void a_file_without_what_the_lock_writes_is_an_error() throws IOException {
        Path file = recorded("Placed", 1, "{\"x-eventsource\": {\"name\": \"Placed\", \"version\": \"1\"}}\n");
        JavaFileObject src = placed("String id");
        assertThat(compile(src)).hadErrorContaining("[EventSchemaUnreadable] " + file + " cannot be read as a recorded"
                + " event schema: \"x-eventsource\".\"version\" must be a positive integer, not \"1\"")
                .inFile(src).onLineContaining("record Placed");
    }

    @Test
    void an_unreadable_file_of_no_type_of_this_compilation_is_an_error_too() throws IOException {
        Path file = recorded("Gone", 1, "not json\n");
        assertThat(compile(placed("String id"))).hadErrorContaining("[EventSchemaUnreadable] " + file
                + " cannot be read as a recorded event schema: not valid JSON: line 1, column 1: expected a value");
    }

    @Test
    void an_unwritable_directory_is_an_error_naming_the_path() throws IOException {
        Path notADirectory = Files.writeString(schemas.resolve("taken"), "a file\n");
        JavaFileObject src = placed("String id");
        Compilation c = Sources.javac(notADirectory).compile(src);
        assertThat(c).hadErrorContaining("[EventSchemaWriteFailed] could not write "
                + notADirectory.resolve("Placed").resolve("v1.schema.json") + ": java.nio.file.FileSystemException: " + notADirectory.resolve("Placed") + ": Not a directory")
                .inFile(src).onLineContaining("record Placed");
    }

    @Test
    void a_relative_directory_resolves_against_the_working_directory() {
        Path relative = Path.of("target", "test-event-schemas", "relative-" + System.nanoTime());
        Compilation c = Compiler.javac().withProcessors(new EventSourceProcessor())
                .withOptions("-Aeventsource.schemas=" + relative).compile(placed("String id"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(relative.toAbsolutePath().resolve("Placed/v1.schema.json")).exists();
    }

    @Test
    void names_that_are_not_safe_file_names_are_escaped() {
        Compilation c = compile(source("Placed", "@EventType(name = \"orders/placed\") record Placed(String id) {}\n"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(schemas.resolve("orders%2Fplaced").resolve("v1.schema.json")).exists();
    }

    @Test
    void events_of_aggregates_and_projections_are_recorded_too() {
        JavaFileObject src = source("Acc", "record Created(String id) {}\nrecord Seen(String id) {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void on(Created e) {}\n}\n"
                + "@Projection class View {\n  @Apply void on(Seen e) {}\n}\n");
        Compilation c = compile(src);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).hadNoteContaining("[EventSchemaNew] test.Created").inFile(src).onLineContaining("record Created");
        assertThat(c).hadNoteContaining("[EventSchemaNew] test.Seen").inFile(src).onLineContaining("record Seen");
        assertThat(c).hadNoteCount(2);
    }

    @Test
    void without_the_option_one_warning_says_nothing_is_checked() {
        Compilation c = Compiler.javac().withProcessors(new EventSourceProcessor()).compile(
                source("Placed", "@EventType record Placed(String id) {}\n@EventType record Shipped(String id) {}\n"));
        assertThat(c).succeeded();
        assertThat(c).hadWarningCount(1);
        assertThat(c).hadWarningContaining("[EventSchemasOff] schema changes of event types are not checked, because the"
                + " processor option eventsource.schemas is not set: an incompatible change to an event class would"
                + " only show when stored events fail to read. Set it to a directory committed with the sources;"
                + " Maven: <compilerArgs><arg>-Aeventsource.schemas=${project.basedir}/src/main/event-schemas</arg>"
                + "</compilerArgs>; Gradle: tasks.withType(JavaCompile) { options.compilerArgs +="
                + " [\"-Aeventsource.schemas=${projectDir}/src/main/event-schemas\"] }");
    }

    @Test
    void without_the_option_and_without_event_types_there_is_no_warning() {
        Compilation c = Compiler.javac().withProcessors(new EventSourceProcessor())
                .compile(source("Plain", "class Plain {}\n"));
        assertThat(c).succeededWithoutWarnings();
    }

    // ---- the files as text ----

    /** Every file under {@code dir} by relative path, with its text. */
    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    private static List<JavaFileObject> fixtures() {
        List<JavaFileObject> all = new ArrayList<>(Sources.fixtures("shop"));
        all.addAll(Sources.fixtures("types"));
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-placed/v2", "LineAdded/v1"})
    void matches_the_golden_file(String recorded) throws IOException {
        assertThat(Sources.javac(schemas).compile(Sources.fixtures("shop"))).succeeded();
        String text = Files.readString(schemas.resolve(recorded + ".schema.json"));
        Path golden = GOLDEN.resolve(recorded.replace('/', '.') + ".schema.json");
        if ("1".equals(System.getenv("UPDATE_GOLDEN"))) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, text);
        }
        assertThat(text).as("%s differs from %s; if the change is intended, rerun with UPDATE_GOLDEN=1", recorded,
                golden).isEqualTo(Files.readString(golden));
    }

    @Test
    void identical_input_gives_byte_identical_files_whatever_the_file_order(@TempDir Path other) throws IOException {
        List<JavaFileObject> files = fixtures();
        assertThat(Sources.javac(schemas).compile(files)).succeededWithoutWarnings();
        List<JavaFileObject> reversed = new ArrayList<>(files);
        Collections.reverse(reversed);
        assertThat(Sources.javac(other).compile(reversed)).succeededWithoutWarnings();
        Map<String, String> first = files(schemas);
        assertThat(first).hasSizeGreaterThan(5);
        assertThat(files(other)).isEqualTo(first);
        // And recompiling against the recorded files changes none of them and says nothing.
        Compilation again = Sources.javac(schemas).compile(files);
        assertThat(again.diagnostics()).noneMatch(d -> d.getKind() != Diagnostic.Kind.OTHER
                && d.getMessage(null).contains("[EventSchema"));
        assertThat(files(schemas)).isEqualTo(first);
    }
}
