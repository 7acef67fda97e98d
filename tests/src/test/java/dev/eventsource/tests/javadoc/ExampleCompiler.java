package dev.eventsource.tests.javadoc;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles Javadoc examples in memory against the test class path, with the eventsource
 * annotation processor on (so an example's {@code @Aggregate} gets its generated descriptor and the
 * processor's checks), and reports what is wrong with each: compiler errors, references to
 * {@code dev.eventsource} packages that are not public API, and HTML escapes javadoc would show
 * verbatim. Every problem names the example's source file and line.
 *
 * <p>Not thread-safe: one compilation at a time (the test runs its examples one after another).
 */
final class ExampleCompiler implements AutoCloseable {

    private static final String PROCESSOR = "dev.eventsource.processor.EventSourceProcessor";
    private static final Pattern ESCAPE = Pattern.compile("&(?:#\\d+|#[xX]\\p{XDigit}+|[a-zA-Z]+);|\\{@\\w+");

    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    private final StandardJavaFileManager files =
            javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    private final List<String> options;
    private final List<String> apiPackages;
    private final List<String> annotations;
    private final Set<String> allowed = new LinkedHashSet<>();

    /**
     * @param apiPackages the public API packages on the class path
     * @param annotations the qualified names of the annotation types users write
     */
    ExampleCompiler(List<String> apiPackages, List<String> annotations) {
        this.apiPackages = List.copyOf(apiPackages);
        this.annotations = List.copyOf(annotations);
        this.options = List.of("-classpath", System.getProperty("java.class.path"), "-processor", PROCESSOR,
                "-implicit:none", "-Xlint:none");
        allowed.addAll(apiPackages);
        allowed.add(ExampleUnit.DOMAIN);
        allowed.add(ExampleUnit.PACKAGE);
        try {
            files.setLocation(StandardLocation.SOURCE_PATH, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with {@code example}, one message per problem; empty when it compiles and uses only public API. */
    List<String> problems(JavadocExample example) {
        List<String> problems = new ArrayList<>(escapes(example));
        ExampleUnit unit = ExampleUnit.wrap(example, apiPackages, annotations);
        JavaFileObject source = new MemoryFile(URI.create("mem:///" + ExampleUnit.PACKAGE + "/" + unit.fileName()),
                JavaFileObject.Kind.SOURCE, unit.source());
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavacTask task = (JavacTask) javac.getTask(null, new MemoryFileManager(files), diagnostics, options, null,
                List.of(source));
        try {
            Iterable<? extends CompilationUnitTree> trees = task.parse();
            if (diagnostics.getDiagnostics().stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR)) {
                return report(problems, example, unit, source, diagnostics);   // javac stops after syntax errors too
            }
            task.analyze();
            for (CompilationUnitTree tree : trees) {
                problems.addAll(nonPublicApi(example, unit, tree, Trees.instance(task), task.getElements()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            problems.add(example.name() + ": the compiler failed: " + e);
        }
        return report(problems, example, unit, source, diagnostics);
    }

    private static List<String> report(List<String> problems, JavadocExample example, ExampleUnit unit,
            JavaFileObject source, DiagnosticCollector<JavaFileObject> diagnostics) {
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                problems.add(where(example, unit, source, d) + ": " + d.getMessage(Locale.ROOT));
            }
        }
        return problems;
    }

    /** The unit's text with line numbers, to show next to problems that come from the wrapper. */
    String wrapped(JavadocExample example) {
        String[] lines = ExampleUnit.wrap(example, apiPackages, annotations).source().split("\n");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            text.append(String.format(Locale.ROOT, "%4d  %s%n", i + 1, lines[i]));
        }
        return text.toString();
    }

    private static List<String> escapes(JavadocExample example) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < example.code().size(); i++) {
            Matcher escape = ESCAPE.matcher(example.code().get(i));
            if (escape.find()) {
                problems.add(example.file() + ":" + example.lineOf(i) + ": javadoc shows '" + escape.group()
                        + "' verbatim inside {@code ...}: write the character itself (only braces must balance)");
            }
        }
        return problems;
    }

    private static String where(JavadocExample example, ExampleUnit unit, JavaFileObject source,
            Diagnostic<? extends JavaFileObject> d) {
        if (d.getSource() == source) {
            int line = unit.sourceLine(d.getLineNumber());
            return line > 0 ? example.file() + ":" + line
                    : example.name() + " (line " + d.getLineNumber() + " of the wrapper " + unit.fileName() + ")";
        }
        if (d.getSource() != null) {
            return example.name() + " (line " + d.getLineNumber() + " of generated " + d.getSource().getName() + ")";
        }
        return example.name();
    }

    /** References from the example's own lines to {@code dev.eventsource} packages that are not public API. */
    private List<String> nonPublicApi(JavadocExample example, ExampleUnit unit, CompilationUnitTree tree, Trees trees,
            Elements elements) {
        Set<String> problems = new LinkedHashSet<>();
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree node, Void unused) {
                check(node);
                return super.visitIdentifier(node, unused);
            }

            @Override
            public Void visitMemberSelect(MemberSelectTree node, Void unused) {
                check(node);
                return super.visitMemberSelect(node, unused);
            }

            private void check(Tree node) {
                Element element = trees.getElement(getCurrentPath());
                if (element == null || element.getKind() == ElementKind.PACKAGE) {
                    return;
                }
                PackageElement pkg = elements.getPackageOf(element);
                String name = pkg == null ? "" : pkg.getQualifiedName().toString();
                boolean ours = name.equals("dev.eventsource") || name.startsWith("dev.eventsource.");
                if (ours && !allowed.contains(name)) {
                    long position = trees.getSourcePositions().getStartPosition(tree, node);
                    int line = unit.sourceLine(tree.getLineMap().getLineNumber(position));
                    if (line > 0) {
                        problems.add(example.file() + ":" + line + ": uses " + typeOf(element) + " of " + name
                                + ", which is not public API");
                    }
                }
            }
        }.scan(tree, null);
        return new ArrayList<>(problems);
    }

    /** The type an element is or belongs to, so a method call and its class make one problem. */
    private static Element typeOf(Element element) {
        Element type = element;
        while (!type.getKind().isClass() && !type.getKind().isInterface() && type.getEnclosingElement() != null) {
            type = type.getEnclosingElement();
        }
        return type;
    }

    @Override
    public void close() throws IOException {
        files.close();
    }

    /** Keeps everything the compilation writes (generated sources, services files, classes) in memory. */
    private static final class MemoryFileManager extends ForwardingJavaFileManager<JavaFileManager> {
        private final Map<URI, MemoryFile> outputs = new HashMap<>();

        MemoryFileManager(JavaFileManager delegate) {
            super(delegate);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                FileObject sibling) {
            return output(uri(location, "", className.replace('.', '/') + kind.extension), kind);
        }

        @Override
        public FileObject getFileForOutput(Location location, String packageName, String relativeName,
                FileObject sibling) {
            return output(uri(location, packageName, relativeName), JavaFileObject.Kind.OTHER);
        }

        @Override
        public FileObject getFileForInput(Location location, String packageName, String relativeName)
                throws IOException {
            if (location == StandardLocation.CLASS_OUTPUT || location == StandardLocation.SOURCE_OUTPUT) {
                return outputs.get(uri(location, packageName, relativeName));
            }
            return super.getFileForInput(location, packageName, relativeName);
        }

        @Override
        public boolean isSameFile(FileObject a, FileObject b) {
            if (a instanceof MemoryFile || b instanceof MemoryFile) {
                return a.toUri().equals(b.toUri());
            }
            return super.isSameFile(a, b);
        }

        private MemoryFile output(URI uri, JavaFileObject.Kind kind) {
            return outputs.computeIfAbsent(uri, u -> new MemoryFile(u, kind, null));
        }

        private static URI uri(Location location, String packageName, String relativeName) {
            String dir = packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/";
            return URI.create("mem:///" + location.getName() + "/" + dir + relativeName);
        }
    }

    /** A source to compile, or an output that can be read back once written. */
    private static final class MemoryFile extends SimpleJavaFileObject {
        private byte[] content;

        MemoryFile(URI uri, Kind kind, String content) {
            super(uri, kind);
            this.content = content == null ? null : content.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) throws IOException {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        @Override
        public InputStream openInputStream() throws IOException {
            return new ByteArrayInputStream(bytes());
        }

        @Override
        public Writer openWriter() {
            return new OutputStreamWriter(openOutputStream(), StandardCharsets.UTF_8);
        }

        @Override
        public OutputStream openOutputStream() {
            return new ByteArrayOutputStream() {
                @Override
                public void close() {
                    content = toByteArray();
                }
            };
        }

        private byte[] bytes() throws IOException {
            if (content == null) {
                throw new FileNotFoundException(toUri().toString());
            }
            return content;
        }
    }
}
