package dev.eventsource.tests.javadoc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One example wrapped in a compilation unit of package {@value #PACKAGE}, with the fixed context
 * described in {@link JavadocExamplesTest}: imports, and for statements the free variables.
 *
 * @param fileName the unit's file name: the first public type a declaration example declares, else {@code Example.java}
 * @param source the unit's text
 * @param lines for each unit line (index 0 is line 1), the source line of the example it comes
 *     from, or 0 for a line of the wrapper
 */
record ExampleUnit(String fileName, String source, List<Integer> lines) {

    ExampleUnit {
        lines = List.copyOf(lines);
    }

    /** The package of every example: outside {@code dev.eventsource}, so package-private API is out of reach. */
    static final String PACKAGE = "example";

    /** The example domain: the quick start's aggregate, events, command, projection and generated classes. */
    static final String DOMAIN = "dev.eventsource.tests.quickstart";

    /** JDK packages imported on demand, besides the public API packages and {@link #DOMAIN}. */
    static final List<String> JDK = List.of("java.math", "java.sql", "java.time", "java.util", "java.util.concurrent",
            "java.util.concurrent.atomic", "java.util.function", "javax.sql");

    /** The free variables of statement examples: name to type. */
    static final Map<String, String> FREE_VARIABLES = freeVariables(
            "engine", "dev.eventsource.Engine",
            "store", "dev.eventsource.store.EventStore",
            "dataSource", "javax.sql.DataSource",
            "log", "org.slf4j.Logger",
            "order", DOMAIN + ".Order",
            "summary", DOMAIN + ".OrderSummary",
            "envelope", "dev.eventsource.EventEnvelope<?>",
            "events", "java.util.List<dev.eventsource.store.NewEvent>",
            "json", "byte[]",
            "generator", "com.fasterxml.jackson.core.JsonGenerator",
            "parser", "com.fasterxml.jackson.core.JsonParser");

    private static final Pattern IMPORT = Pattern.compile("\\s*import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;\\s*");
    private static final Pattern TYPE_DECLARATION = Pattern.compile("(?:(?:public|protected|private|abstract|static"
            + "|final|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+\\w+");
    private static final Pattern DECLARED_TYPE = Pattern.compile("\\b(?:class|interface|enum|record)\\s+(\\w+)");
    private static final Pattern PUBLIC_TYPE = Pattern.compile("\\bpublic\\s+(?:(?:abstract|final|sealed|non-sealed"
            + "|strictfp|static)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)");

    /**
     * Wraps {@code example}.
     *
     * @param apiPackages the public API packages, imported on demand
     * @param annotations the qualified names of the annotation types, imported by name where their
     *     simple name is free
     */
    static ExampleUnit wrap(JavadocExample example, Collection<String> apiPackages, Collection<String> annotations) {
        List<String> code = example.code();
        int body = 0;
        List<String> ownImports = new ArrayList<>();
        Set<String> taken = new TreeSet<>();
        for (; body < code.size(); body++) {
            Matcher imp = IMPORT.matcher(code.get(body));
            if (imp.matches()) {
                ownImports.add(code.get(body));
                if (imp.group(1) == null && imp.group(3) == null) {
                    taken.add(simpleName(imp.group(2)));
                }
            } else if (!code.get(body).isBlank()) {
                break;
            }
        }
        String rest = String.join("\n", code.subList(body, code.size()));
        boolean declarations = declaresTypes(rest);
        if (declarations) {
            Matcher declared = DECLARED_TYPE.matcher(rest);
            while (declared.find()) {
                taken.add(declared.group(1));
            }
        }

        Builder unit = new Builder();
        unit.wrapper("package " + PACKAGE + ";");
        List<String> byName = new ArrayList<>();
        if (example.type() != null) {
            byName.add(example.type());
        }
        byName.addAll(annotations);
        for (String type : byName) {
            if (taken.add(simpleName(type))) {
                unit.wrapper("import " + type + ";");
            }
        }
        List<String> onDemand = new ArrayList<>(apiPackages);
        onDemand.add(DOMAIN);
        onDemand.addAll(JDK);
        for (String pkg : onDemand) {
            unit.wrapper("import " + pkg + ".*;");
        }
        for (int i = 0; i < body; i++) {
            unit.example(code.get(i), example.lineOf(i));
        }
        if (!declarations) {
            unit.wrapper("class Example {");
            FREE_VARIABLES.forEach((name, type) -> unit.wrapper("    " + type + " " + name + ";"));
            unit.wrapper("    void example() throws Exception {");
        }
        for (int i = body; i < code.size(); i++) {
            unit.example(code.get(i), example.lineOf(i));
        }
        if (!declarations) {
            unit.wrapper("    }");
            unit.wrapper("}");
        }
        Matcher publicType = PUBLIC_TYPE.matcher(rest);
        String fileName = declarations && publicType.find() ? publicType.group(1) + ".java" : "Example.java";
        return new ExampleUnit(fileName, unit.text.toString(), unit.lines);
    }

    /** The example line that unit line {@code line} (1-based) comes from, or 0 for a wrapper line. */
    int sourceLine(long line) {
        return line >= 1 && line <= lines.size() ? lines.get((int) line - 1) : 0;
    }

    /**
     * Whether the code declares types (then it goes to the top level of the unit) rather than being
     * statements: its first token after comments and annotations starts a class, interface, enum,
     * record or annotation type declaration.
     */
    static boolean declaresTypes(String code) {
        int i = 0;
        while (i < code.length()) {
            if (Character.isWhitespace(code.charAt(i))) {
                i++;
            } else if (code.startsWith("//", i)) {
                int eol = code.indexOf('\n', i);
                i = eol < 0 ? code.length() : eol;
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? code.length() : end + 2;
            } else if (code.charAt(i) == '@' && !code.startsWith("@interface", i)) {
                i++;
                while (i < code.length() && (Character.isJavaIdentifierPart(code.charAt(i)) || code.charAt(i) == '.')) {
                    i++;
                }
                int next = i;
                while (next < code.length() && Character.isWhitespace(code.charAt(next))) {
                    next++;
                }
                if (next < code.length() && code.charAt(next) == '(') {
                    int depth = 0;
                    for (i = next; i < code.length(); i++) {
                        if (code.charAt(i) == '(') {
                            depth++;
                        } else if (code.charAt(i) == ')' && --depth == 0) {
                            i++;
                            break;
                        }
                    }
                }
            } else {
                break;
            }
        }
        return TYPE_DECLARATION.matcher(code).region(i, code.length()).lookingAt();
    }

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    private static Map<String, String> freeVariables(String... nameTypePairs) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            variables.put(nameTypePairs[i], nameTypePairs[i + 1]);
        }
        return Collections.unmodifiableMap(variables);
    }

    /** The unit's text and, per line, where it came from. */
    private static final class Builder {
        final StringBuilder text = new StringBuilder();
        final List<Integer> lines = new ArrayList<>();

        void wrapper(String line) {
            example(line, 0);
        }

        void example(String line, int sourceLine) {
            text.append(line).append('\n');
            lines.add(sourceLine);
        }
    }
}
