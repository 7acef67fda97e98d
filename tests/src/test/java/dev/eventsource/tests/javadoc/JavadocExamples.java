package dev.eventsource.tests.javadoc;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code <pre>{@code ...}</pre>} blocks in the Javadoc comments of one source file.
 *
 * <p>The code is taken as javadoc shows it: each comment line loses its leading whitespace and
 * asterisks, and the block ends at the brace that balances the one opening the inline
 * {@code code} tag. Nothing else is decoded, because javadoc decodes nothing inside that tag:
 * {@code &lt;}, {@code &#64;} and {@code {@literal @}} appear verbatim on the page (and an {@code @}
 * at the start of a line is plain text there). {@link ExampleCompiler} rejects such escapes instead
 * of compiling around them.
 */
final class JavadocExamples {

    private static final Pattern COMMENT = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern PRE_CODE = Pattern.compile("<pre>\\s*\\{@code");
    private static final Pattern LEADING_STARS = Pattern.compile("^\\s*\\*+");

    private JavadocExamples() {
    }

    /**
     * The examples of one source file.
     *
     * @param file the name to report the examples under
     * @throws IllegalArgumentException naming file and line when a block has no closing brace
     */
    static List<JavadocExample> parse(String file, URI uri, String source) {
        String pkg = PublicApi.packageOf(source);
        String simpleName = file.substring(file.lastIndexOf('/') + 1).replaceFirst("\\.java$", "");
        String type = simpleName.equals("package-info") ? null : pkg.isEmpty() ? simpleName : pkg + "." + simpleName;
        List<JavadocExample> examples = new ArrayList<>();
        Matcher comment = COMMENT.matcher(source);
        while (comment.find()) {
            int commentLine = lineAt(source, comment.start(1));
            String text = stripStars(comment.group(1));
            Matcher pre = PRE_CODE.matcher(text);
            while (pre.find()) {
                int line = commentLine + lineAt(text, pre.start()) - 1;
                int end = closingBrace(text, pre.end());
                if (end < 0) {
                    throw new IllegalArgumentException(file + ":" + line + ": <pre>{@code block without the brace"
                            + " that closes it");
                }
                List<String> code = Arrays.asList(text.substring(pre.end(), end).split("\n", -1));
                examples.add(new JavadocExample(file, uri, type, line, code));
                pre.region(end, text.length());
            }
        }
        return examples;
    }

    /** The comment's lines without their leading {@code " * "}; the line structure is kept. */
    private static String stripStars(String comment) {
        String[] lines = comment.split("\n", -1);
        for (int i = 1; i < lines.length; i++) {
            lines[i] = LEADING_STARS.matcher(lines[i]).replaceFirst("");
        }
        return String.join("\n", lines);
    }

    /** The offset of the brace that closes an inline tag whose content starts at {@code from}, or -1. */
    private static int closingBrace(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The 1-based line of {@code offset}. */
    private static int lineAt(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
