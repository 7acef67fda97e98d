package dev.eventsource.processor;

import dev.eventsource.processor.model.EventModel;
import dev.eventsource.processor.model.EventSchema;
import dev.eventsource.processor.read.Message;
import dev.eventsource.processor.read.Reporter;
import dev.eventsource.processor.read.SchemaComparator;
import dev.eventsource.processor.read.SchemaFileReader;
import dev.eventsource.processor.read.SchemaReader;
import dev.eventsource.processor.write.SchemaWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * The schema lock: records the JSON shape of each event type compiled from source, per stable name
 * and version, in {@code <dir>/<name>/v<version>.schema.json}, and on every compile compares the
 * shape now with the one recorded. A new shape is written (a note asks to commit it), a compatible
 * change rewrites the file (a note lists the changes), an incompatible one is
 * {@link Message#EVENT_SCHEMA_CHANGED} on the type and leaves the file alone. At the end of the
 * compilation a recorded (name, version) that nothing reads any more is
 * {@link Message#EVENT_SCHEMA_ORPHANED}. Without a directory (option {@value #OPTION} not set) it
 * only warns, once, that nothing is checked.
 *
 * <p>Files are written with {@code java.nio}, not the {@code Filer}: they live with the sources.
 * Called by the processor on its one thread: {@link #check} in the round that reads an event type
 * (its element still has a source position then), {@link #finish} in the last round.
 */
final class SchemaLock {

    static final String OPTION = "eventsource.schemas";
    private static final Pattern FILE = Pattern.compile("v[1-9][0-9]*\\.schema\\.json");

    /** A stored name at one version that an event type of this compilation reads, and the aliases it reads too. */
    private record Reads(String name, int version, List<String> aliases) {
    }

    private final Path dir;
    private final Reporter reporter;
    private final Elements elements;
    private final Predicate<TypeElement> compiledFromSource;
    private final SchemaReader schemaReader;
    private final List<Reads> reads = new ArrayList<>();
    /** Event types checked so far (canonical names): an event handled in many places is checked once. */
    private final Set<String> checked = new HashSet<>();
    /** Files compared with a type of this compilation, so the orphan scan skips them. */
    private final Set<Path> compared = new HashSet<>();
    private boolean sawEventFromSource;

    /** @param dir the schemas directory, or {@code null} when the option is not set */
    SchemaLock(Path dir, Reporter reporter, Elements elements, Predicate<TypeElement> compiledFromSource,
            SchemaReader schemaReader) {
        this.dir = dir == null ? null : dir.toAbsolutePath().normalize();
        this.reporter = reporter;
        this.elements = elements;
        this.compiledFromSource = compiledFromSource;
        this.schemaReader = schemaReader;
    }

    /** The directory the option names (relative to the working directory), or {@code null} when it is not set. */
    static Path directory(String option) {
        return option == null || option.isBlank() ? null : Path.of(option.trim());
    }

    /** Compares (or records) the shape of each event type compiled from source that was not checked yet. */
    void check(List<EventModel> events) {
        for (EventModel event : events) {
            if (!checked.add(event.type().canonicalName())) {
                continue;
            }
            reads.add(new Reads(event.name(), event.version(), event.aliases()));
            if (!compiledFromSource.test(event.element())) {
                continue;
            }
            sawEventFromSource = true;
            if (dir != null) {
                compare(event);
            }
        }
    }

    private void compare(EventModel event) {
        Path file = file(event.name(), event.version());
        compared.add(file);
        EventSchema now = schemaReader.read(event);
        String text = SchemaWriter.write(now);
        String shown = file.toString();
        if (!Files.exists(file)) {
            if (write(file, text, event)) {
                reporter.report(Message.EVENT_SCHEMA_NEW, event.element(), event.type().canonicalName(), event.name(),
                        event.version(), shown);
            }
            return;
        }
        String recordedText;
        EventSchema recorded;
        try {
            // A checkout with CRLF line ends (git's autocrlf) records the same text.
            recordedText = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
            if (recordedText.equals(text)) {
                return;
            }
            recorded = SchemaFileReader.read(recordedText);
        } catch (IOException | SchemaFileReader.UnreadableException e) {
            reporter.report(Message.EVENT_SCHEMA_UNREADABLE, event.element(), shown, reason(e));
            return;
        }
        List<EventSchema.Change> changes = SchemaComparator.compare(recorded, now);
        if (changes.stream().anyMatch(c -> !c.compatible())) {
            reporter.report(Message.EVENT_SCHEMA_CHANGED, event.element(), event.type().canonicalName(), event.name(),
                    event.version(), shown, list(changes), event.version() + 1, event.name(), event.version());
        } else if (write(file, text, event)) {
            reporter.report(Message.EVENT_SCHEMA_UPDATED, event.element(), event.type().canonicalName(), event.name(),
                    event.version(), shown, changes.isEmpty()
                            ? " none of the shape; the file is rewritten in the canonical form (field order or layout)"
                            : list(changes));
        }
    }

    /**
     * Last round: without a directory, warns once (when the compilation has event types); with one,
     * reports each recorded (name, version) nothing reads any more. Skipped when the compilation has
     * errors already: a broken event type was not read, and its file would look orphaned.
     */
    void finish(boolean errorsRaised) {
        if (dir == null) {
            if (sawEventFromSource) {
                reporter.reportWithoutElement(Message.EVENT_SCHEMAS_OFF);
            }
            return;
        }
        if (errorsRaised || reporter.errorCount() > 0 || !Files.isDirectory(dir)) {
            return;
        }
        for (Path file : recordedFiles()) {
            if (compared.contains(file)) {
                continue;
            }
            EventSchema recorded;
            try {
                recorded = SchemaFileReader.read(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | SchemaFileReader.UnreadableException e) {
                reporter.reportWithoutElement(Message.EVENT_SCHEMA_UNREADABLE, file.toString(), reason(e));
                continue;
            }
            if (!isRead(recorded.name(), recorded.version()) && !compiledElsewhere(recorded.javaClass())) {
                reporter.reportWithoutElement(Message.EVENT_SCHEMA_ORPHANED, file.toString(), recorded.name(),
                        recorded.version(), recorded.javaClass(), recorded.name(), recorded.name(), recorded.name(),
                        recorded.version());
            }
        }
    }

    /**
     * Whether an event type of this compilation reads the stored (name, version): it has that name
     * and version, or that name as an alias while some class of its own name has that version.
     */
    private boolean isRead(String name, int version) {
        for (Reads r : reads) {
            if (r.version() == version && r.name().equals(name)) {
                return true;
            }
            if (r.aliases().contains(name) && reads.stream()
                    .anyMatch(other -> other.name().equals(r.name()) && other.version() == version)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the recorded class exists on the class path without being compiled now (a partial compile). */
    private boolean compiledElsewhere(String javaClass) {
        TypeElement type = elements.getTypeElement(javaClass);
        return type != null && !compiledFromSource.test(type);
    }

    /** Every {@code <dir>/<name>/v<N>.schema.json}, sorted. */
    private List<Path> recordedFiles() {
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(p -> p.getNameCount() == dir.getNameCount() + 2 && Files.isRegularFile(p)
                    && FILE.matcher(p.getFileName().toString()).matches()).map(Path::normalize).sorted().toList();
        } catch (IOException e) {
            reporter.reportWithoutElement(Message.EVENT_SCHEMA_UNREADABLE, dir.toString(), reason(e));
            return List.of();
        }
    }

    private boolean write(Path file, String text, EventModel event) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            reporter.report(Message.EVENT_SCHEMA_WRITE_FAILED, event.element(), file.toString(), reason(e));
            return false;
        }
    }

    /**
     * {@code <dir>/<name>/v<version>.schema.json}; a character of the name other than a letter, digit,
     * {@code .}, {@code _} or {@code -} is written {@code %XX} (its UTF-8 bytes), so every name is one
     * directory. The file itself records the name.
     */
    Path file(String name, int version) {
        StringBuilder safe = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                    || (c == '.' && safe.length() > 0)) {
                safe.append(c);
            } else {
                safe.append('%').append(String.format("%02X", (int) c));
            }
        }
        return dir.resolve(safe.toString()).resolve("v" + version + ".schema.json");
    }

    private static String reason(Exception e) {
        return e instanceof SchemaFileReader.UnreadableException ? e.getMessage() : e.toString();
    }

    private static String list(List<EventSchema.Change> changes) {
        StringBuilder sb = new StringBuilder();
        for (EventSchema.Change c : changes) {
            sb.append("\n  - ").append(c);
        }
        return sb.toString();
    }
}
