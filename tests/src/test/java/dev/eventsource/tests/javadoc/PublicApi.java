package dev.eventsource.tests.javadoc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of the project, found in its sources rather than listed: every public type in a
 * package without an {@code internal} segment, in the {@code src/main/java} of every module of the
 * root {@code pom.xml} except {@link #NOT_PUBLIC_API}. A new library module is covered without
 * editing this class.
 *
 * @param root the project root
 * @param sources the files declaring public API types, and the {@code package-info.java} of API packages
 * @param packages each API package with one of its public types (to check it is on the class path)
 * @param annotations the qualified names of the public annotation types
 */
record PublicApi(Path root, List<Path> sources, Map<String, String> packages, List<String> annotations) {

    /**
     * Modules whose classes are not public API: the processor is a build tool whose classes no
     * application calls; the others are not published.
     */
    static final Set<String> NOT_PUBLIC_API = Set.of("processor", "tests", "sample", "sample-spring", "bench");

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern TOP_LEVEL_PUBLIC = Pattern.compile("(?m)^public\\s+"
            + "(?:(?:abstract|final|sealed|non-sealed|strictfp)\\s+)*"
            + "(class|interface|enum|record|@interface)\\s+(\\w+)");

    PublicApi {
        sources = List.copyOf(sources);
        packages = Map.copyOf(packages);
        annotations = List.copyOf(annotations);
    }

    /** Scans the modules of the project at {@code root}. */
    static PublicApi of(Path root) {
        List<Path> sources = new ArrayList<>();
        Map<String, String> packages = new TreeMap<>();
        List<String> annotations = new ArrayList<>();
        for (Path file : sourceRoots(root).stream().flatMap(PublicApi::javaFiles).collect(Collectors.toList())) {
            String source = read(file);
            String pkg = packageOf(source);
            if (Set.of(pkg.split("\\.")).contains("internal")) {
                continue;
            }
            if (file.getFileName().toString().equals("package-info.java")) {
                sources.add(file);
                continue;
            }
            Matcher publicType = TOP_LEVEL_PUBLIC.matcher(source);
            while (publicType.find()) {
                if (publicType.group(2).equals(simpleName(file))) {
                    sources.add(file);
                    packages.putIfAbsent(pkg, pkg + "." + simpleName(file));
                    if (publicType.group(1).equals("@interface")) {
                        annotations.add(pkg + "." + simpleName(file));
                    }
                    break;
                }
            }
        }
        return new PublicApi(root, sources, packages, annotations);
    }

    private static Stream<Path> javaFiles(Path sourceRoot) {
        try (Stream<Path> walk = Files.walk(sourceRoot)) {
            return walk.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList()).stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + sourceRoot, e);
        }
    }

    /** {@code src/main/java} of every module in the root {@code pom.xml} that is not {@link #NOT_PUBLIC_API}. */
    private static List<Path> sourceRoots(Path root) {
        List<Path> roots = new ArrayList<>();
        Matcher module = MODULE.matcher(read(root.resolve("pom.xml")));
        while (module.find()) {
            Path sources = root.resolve(module.group(1)).resolve("src/main/java");
            if (!NOT_PUBLIC_API.contains(module.group(1)) && Files.isDirectory(sources)) {
                roots.add(sources);
            }
        }
        return roots;
    }

    /** Every example in the Javadoc of the public API. */
    List<JavadocExample> examples() {
        List<JavadocExample> examples = new ArrayList<>();
        for (Path file : sources) {
            examples.addAll(JavadocExamples.parse(displayName(file), uriOf(file), read(file)));
        }
        return examples;
    }

    /** The file relative to the project root, with {@code /} separators. */
    String displayName(Path file) {
        return root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString()
                .replace(file.getFileSystem().getSeparator(), "/");
    }

    static String packageOf(String source) {
        Matcher pkg = PACKAGE.matcher(source);
        return pkg.find() ? pkg.group(1) : "";
    }

    static String simpleName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static URI uriOf(Path file) {
        return file.toAbsolutePath().normalize().toUri();
    }
}
