package dev.eventsource.tests.javadoc;

import java.net.URI;
import java.util.List;

/**
 * One {@code <pre>{@code ...}</pre>} block of a Javadoc comment: where it stands and its code,
 * exactly as javadoc shows it.
 *
 * @param file the source file, relative to the project root ({@code runtime/src/main/java/...})
 * @param uri the source file on disk, for IDEs to open
 * @param type the qualified name of the file's top-level type, or {@code null} for a {@code package-info.java}
 * @param line the line of the opening {@code <pre>}, where the first code line starts (right after it)
 * @param code the code lines, their {@code " * "} prefixes removed
 */
record JavadocExample(String file, URI uri, String type, int line, List<String> code) {

    JavadocExample {
        code = List.copyOf(code);
    }

    /** {@code file:line}, the example's name in reports. */
    String name() {
        return file + ":" + line;
    }

    /** The source line of code line {@code index} (from 0). */
    int lineOf(int index) {
        return line + index;
    }
}
