package dev.eventsource.tests.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's quick start honest: every line of its Java blocks must stand in the sources of
 * this package, which {@link QuickStartTest} compiles with the processor and runs.
 */
class ReadmeQuickStartTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCES = Path.of("src", "test", "java", "dev", "eventsource", "tests", "quickstart");

    @Test
    void everyQuickStartLineIsCompiledAndRunByTheQuickStartTest() throws IOException {
        List<String> blocks = quickStartBlocks(Files.readString(README));
        assertThat(blocks).as("Java blocks under '## Quick start' in README.md").hasSizeGreaterThanOrEqualTo(3);

        String sources = normalize(readSources());
        List<String> missing = new ArrayList<>();
        for (String block : blocks) {
            for (String line : block.split("\n")) {
                String code = normalize(line);
                if (!code.isEmpty() && !sources.contains(code)) {
                    missing.add(line);
                }
            }
        }
        assertThat(missing).as("README quick start lines not compiled by " + SOURCES).isEmpty();
    }

    /** The ```java blocks between "## Quick start" and the next level-2 heading. */
    private static List<String> quickStartBlocks(String readme) {
        int start = readme.indexOf("\n## Quick start");
        assertThat(start).as("README has a '## Quick start' section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> blocks = new ArrayList<>();
        for (int open = section.indexOf("```java\n"); open >= 0; open = section.indexOf("```java\n", open + 1)) {
            int close = section.indexOf("\n```", open + 8);
            blocks.add(section.substring(open + 8, close));
        }
        return blocks.subList(0, Math.min(3, blocks.size()));   // the domain, the engine and the test blocks
    }

    private static String readSources() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("ReadmeQuickStartTest.java"))
                    .sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + f, e);
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    private static String normalize(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
