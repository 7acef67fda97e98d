package dev.eventsource.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.processor.read.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/processor.md shows the real generated code and schema file, and lists every diagnostic. */
class DocsTest {

    private static String doc() throws IOException {
        return Files.readString(Path.of("../docs/processor.md"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Order_Aggregate", "OrderSummary_Projection", "OrderPlaced_Codec"})
    void shows_the_golden_file_verbatim(String name) throws IOException {
        assertThat(doc()).contains(Files.readString(Path.of("src/test/resources/golden/" + name + ".java")));
    }

    @Test
    void shows_a_golden_schema_file_verbatim() throws IOException {
        assertThat(doc()).contains("```json\n" + Files.readString(Path.of("src/test/resources/golden/LineAdded.v1.schema.json"))
                + "```\n");
    }

    @ParameterizedTest
    @EnumSource(Message.class)
    void lists_every_diagnostic(Message message) throws IOException {
        assertThat(doc()).contains("| `[" + message.id() + "]`");
    }
}
