package dev.eventsource.processor.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.processor.model.EventSchema;
import dev.eventsource.processor.write.SchemaWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The schema files as text: JSON parsed strictly, and every file the lock writes read back to the same text. */
class SchemaFilesTest {

    /** What the build's own compile of the test fixtures recorded (processor/pom.xml). */
    static Stream<Path> recorded() throws IOException {
        Path dir = Path.of("target/fixture-event-schemas");
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> found = files.filter(p -> p.toString().endsWith(".schema.json")).sorted().toList();
            assertThat(found).as("schema files of the fixtures in %s", dir).hasSizeGreaterThan(5);
            return found.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void a_recorded_file_reads_back_to_the_same_text(Path file) throws IOException {
        String text = Files.readString(file);
        EventSchema schema = SchemaFileReader.read(text);
        assertThat(SchemaWriter.write(schema)).isEqualTo(text);
        assertThat(SchemaComparator.compare(schema, SchemaFileReader.read(text))).isEmpty();
    }

    @Test
    void json_values_parse_to_plain_java_values() {
        assertThat(JsonText.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\n\\u00e9\\\"\"], \"b\": {}} "))
                .isEqualTo(Map.of("a", Arrays.asList(1L, new BigDecimal("-2.5e3"), true, false, null, "x\né\""),
                        "b", Map.of()));
        assertThat(JsonText.parse("12345678901234567890")).isEqualTo(new BigDecimal("12345678901234567890"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\": 1,}|line 1, column 9: expected a property name, found '}'",
            "[1 2]|line 1, column 4: expected ']', found '2'",
            "{\"a\": 1, \"a\": 2}|line 1, column 10: expected no repeated property \"a\", found '\"'",
            "\"open|line 1, column 6: expected the end of the string, found the end of the text",
            "01|line 1, column 1: expected a number, found '0'",
            "{} x|line 1, column 4: expected end of the text, found 'x'",
            "nul|line 1, column 1: expected a value, found 'n'",
            "\"\\x\"|line 1, column 3: expected an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX), found 'x'"})
    void malformed_json_is_rejected_with_its_position(String text, String message) {
        assertThatThrownBy(() -> JsonText.parse(text)).isInstanceOf(JsonText.SyntaxException.class).hasMessage(message);
    }

    @Test
    void positions_count_lines() {
        assertThatThrownBy(() -> JsonText.parse("{\n  \"a\": tru\n}")).hasMessage("line 2, column 8: expected a value,"
                + " found 't'");
    }

    @Test
    void a_file_without_the_lock_object_is_unreadable() {
        assertThatThrownBy(() -> SchemaFileReader.read("{\"type\": \"object\"}"))
                .isInstanceOf(SchemaFileReader.UnreadableException.class)
                .hasMessage("\"x-eventsource\" must be an object, not missing or null");
        assertThatThrownBy(() -> SchemaFileReader.read("{\"x-eventsource\": {\"name\": \"A\", \"version\": 1,"
                + " \"class\": \"a.A\"}, \"properties\": {\"x\": {\"type\": \"string\"}}}"))
                .hasMessage("the event property \"x\" \"x-java\" must be a string, not missing or null");
    }
}
