package dev.eventsource.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.eventsource.processor.model.AggregateModel;
import dev.eventsource.processor.model.EventModel;
import dev.eventsource.processor.model.ProjectionModel;
import dev.eventsource.processor.read.AggregateReader;
import dev.eventsource.processor.read.EventNames;
import dev.eventsource.processor.read.EventVersions;
import dev.eventsource.processor.read.Message;
import dev.eventsource.processor.read.ModuleServices;
import dev.eventsource.processor.read.ProjectionReader;
import dev.eventsource.processor.read.Reporter;
import dev.eventsource.processor.read.SchemaReader;
import dev.eventsource.processor.read.TypeNotReadyException;
import dev.eventsource.processor.read.TypeReader;
import dev.eventsource.processor.write.AggregateWriter;
import dev.eventsource.processor.write.CodecWriter;
import dev.eventsource.processor.write.ProjectionWriter;
import dev.eventsource.processor.write.ServiceIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * The eventsource-java annotation processor. For every {@code @Aggregate} it generates
 * {@code <Aggregate>_Aggregate} (factory, dispatcher, type registry, snapshot codec), for every
 * {@code @Projection} {@code <Projection>_Projection}, for every event type and nested record a
 * {@code <Type>_Codec}, and once per compilation the {@code META-INF/services} files that list the
 * descriptors. Mistakes are compile errors on the offending element. With
 * {@code -Aeventsource.schemas=<dir>} it records each event type's JSON shape there and reports
 * incompatible changes to it ({@link SchemaLock}).
 *
 * <pre>{@code
 * <annotationProcessorPaths>
 *   <path><groupId>dev.eventsource</groupId><artifactId>eventsource-processor</artifactId></path>
 * </annotationProcessorPaths>
 * }</pre>
 *
 * <p>Rounds: a type that refers to a type not generated yet is retried in the next round; a broken
 * type gets no generated code while the others are still processed. The processor never claims the
 * annotations ({@link #process} returns {@code false}). An exception escaping the processor (a bug in
 * it) is reported as {@code [ProcessorException]} on the type being processed instead of crashing
 * javac, and the other types are still generated.
 */
@AutoService(Processor.class)
public final class EventSourceProcessor extends AbstractProcessor {

    private static final String AGGREGATE = "dev.eventsource.annotations.Aggregate";
    private static final String PROJECTION = "dev.eventsource.annotations.Projection";
    private static final String APPLY = "dev.eventsource.annotations.Apply";
    private static final String EVENT_TYPE = "dev.eventsource.annotations.EventType";
    private static final String UPCAST = "dev.eventsource.annotations.Upcast";

    private Reporter reporter;
    private TypeReader typeReader;
    private AggregateReader aggregateReader;
    private ProjectionReader projectionReader;
    private ModuleServices moduleServices;
    private EventNames eventNames;
    private EventVersions eventVersions;
    private SchemaLock schemaLock;
    private final CodecWriter codecWriter = new CodecWriter();
    private final AggregateWriter aggregateWriter = new AggregateWriter();
    private final ProjectionWriter projectionWriter = new ProjectionWriter();
    private final ServiceIndex aggregateIndex = new ServiceIndex("dev.eventsource.spi.AggregateDescriptor");
    private final ServiceIndex projectionIndex = new ServiceIndex("dev.eventsource.spi.ProjectionDescriptor");

    /** Qualified names of the top-level types compiled from source in this compilation. */
    private final Set<String> sourceTypes = new HashSet<>();
    /** Codecs written so far (qualified names of the value types), so each is written once. */
    private final Set<String> writtenCodecs = new HashSet<>();
    /** Types deferred to the next round, by qualified name, with the missing type that deferred them. */
    private final Map<String, TypeNotReadyException> deferredAggregates = new LinkedHashMap<>();
    private final Map<String, TypeNotReadyException> deferredProjections = new LinkedHashMap<>();
    private final Map<String, TypeNotReadyException> deferredEventTypes = new LinkedHashMap<>();

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        reporter = new Reporter(env.getMessager());
        typeReader = new TypeReader(env, reporter, this::compiledFromSource);
        eventVersions = new EventVersions(reporter, env.getElementUtils());
        aggregateReader = new AggregateReader(env, typeReader, eventVersions, reporter);
        projectionReader = new ProjectionReader(typeReader, aggregateReader, eventVersions, reporter);
        moduleServices = new ModuleServices(env.getElementUtils(), reporter);
        eventNames = new EventNames(reporter, this::compiledFromSource);
        schemaLock = new SchemaLock(SchemaLock.directory(env.getOptions().get(SchemaLock.OPTION)), reporter,
                env.getElementUtils(), this::compiledFromSource, new SchemaReader(typeReader));
    }

    /** {@code -Aeventsource.schemas=<dir>}: where the schema lock keeps the event types' JSON shapes. */
    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(SchemaLock.OPTION);
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(AGGREGATE, PROJECTION, APPLY, EVENT_TYPE, UPCAST);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    /**
     * Processes one round. An exception escaping the processor is a bug in it: it is reported as
     * {@link Message#PROCESSOR_EXCEPTION} on the type being processed (see {@link #processAll}), or on
     * the compilation when it escapes a step of the whole round, and never crashes javac.
     */
    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        try {
            processRound(round);
        } catch (RuntimeException | LinkageError | AssertionError bug) {
            reporter.reportException(null, round.processingOver() ? "finishing the compilation" : "processing a round",
                    bug);
        }
        return false;
    }

    private void processRound(RoundEnvironment round) {
        for (Element root : round.getRootElements()) {
            if (root instanceof TypeElement t) {
                sourceTypes.add(t.getQualifiedName().toString());
            }
        }
        if (round.processingOver()) {
            reportUnresolved(deferredAggregates, this::aggregate);
            reportUnresolved(deferredProjections, this::projection);
            reportUnresolved(deferredEventTypes, this::eventType);
            writeIndexes();
            checkModuleServices();
            finishSchemaLock(round.errorRaised());
            return;
        }
        readVersions(round);
        processAll(round, AGGREGATE, deferredAggregates, this::aggregate);
        processAll(round, PROJECTION, deferredProjections, this::projection);
        processAll(round, EVENT_TYPE, deferredEventTypes, this::eventType);
        checkStrayApplyMethods(round);
    }

    /**
     * Learns the round's versioned event types and {@code @Upcast} methods before any codec is written:
     * the codec of an event's current version embeds the chain that reads its older versions.
     */
    private void readVersions(RoundEnvironment round) {
        try {
            eventVersions.add(annotated(round, EVENT_TYPE), annotated(round, UPCAST));
        } catch (RuntimeException | LinkageError | AssertionError bug) {
            reporter.reportException(null, "reading the versions of event types and their @Upcast methods", bug);
        }
    }

    private Set<? extends Element> annotated(RoundEnvironment round, String annotation) {
        TypeElement type = processingEnv.getElementUtils().getTypeElement(annotation);
        return type == null ? Set.of() : round.getElementsAnnotatedWith(type);
    }

    /**
     * Reads and writes the types annotated in this round plus those deferred from the last one.
     *
     * <p>Each type is guarded on its own (AutoValue's pattern): an unexpected exception while reading
     * or writing it is a bug in this processor, reported as {@link Message#PROCESSOR_EXCEPTION} on the
     * type, and the other types are still processed. Besides {@code RuntimeException} this catches
     * {@code AssertionError} (a broken invariant) and {@code LinkageError} (a JavaPoet of another
     * version on the processor path, say); other {@code Error}s, such as running out of memory, are
     * left to javac.
     */
    private void processAll(RoundEnvironment round, String annotation, Map<String, TypeNotReadyException> deferred,
            Function<TypeElement, Boolean> handler) {
        List<TypeElement> todo = new ArrayList<>();
        for (String name : deferred.keySet()) {
            TypeElement t = processingEnv.getElementUtils().getTypeElement(name);
            if (t != null) {
                todo.add(t);
            }
        }
        deferred.clear();
        TypeElement annotationType = processingEnv.getElementUtils().getTypeElement(annotation);
        if (annotationType != null) {
            for (Element e : round.getElementsAnnotatedWith(annotationType)) {
                todo.add((TypeElement) e);
            }
        }
        for (TypeElement type : todo) {
            try {
                handler.apply(type);
            } catch (TypeNotReadyException notYet) {
                deferred.put(type.getQualifiedName().toString(), notYet);
            } catch (RuntimeException | LinkageError | AssertionError bug) {
                reporter.reportException(type, processing(annotation, type), bug);
            }
        }
    }

    private static String processing(String annotation, TypeElement type) {
        return "processing @" + annotation.substring(annotation.lastIndexOf('.') + 1) + " " + type.getQualifiedName();
    }

    private boolean aggregate(TypeElement type) {
        AggregateModel model = aggregateReader.read(type);
        if (model == null || !eventNames.claim(model.events())) {
            return false;
        }
        writeCodecs(model.codecs());
        write(aggregateWriter.write(model), type);
        aggregateIndex.add(model.descriptor().reflectionName());
        moduleServices.expect(type, aggregateIndex.service(), model.descriptor().canonicalName());
        // Last: the generated code does not depend on it, so a bug here costs no generated file.
        schemaLock.check(model.events());
        return true;
    }

    private boolean projection(TypeElement type) {
        ProjectionModel model = projectionReader.read(type);
        if (model == null || !eventNames.claim(model.events())) {
            return false;
        }
        writeCodecs(model.codecs());
        write(projectionWriter.write(model), type);
        projectionIndex.add(model.descriptor().reflectionName());
        moduleServices.expect(type, projectionIndex.service(), model.descriptor().canonicalName());
        // Last: the generated code does not depend on it, so a bug here costs no generated file.
        schemaLock.check(model.events());
        return true;
    }

    /** An {@code @EventType} type gets its codec even when no aggregate of this compilation uses it. */
    private boolean eventType(TypeElement type) {
        List<EventModel> codecs = typeReader.annotatedEventType(type);
        List<EventModel> self = codecs == null ? null : codecs.stream().filter(c -> c.element().equals(type)).toList();
        if (self == null || !eventNames.claim(self)) {
            return false;
        }
        writeCodecs(codecs);
        schemaLock.check(self);
        return true;
    }

    private void writeCodecs(List<EventModel> codecs) {
        for (EventModel codec : codecs) {
            if (codec.generate() && writtenCodecs.add(codec.type().canonicalName())) {
                write(codecWriter.write(codec, eventVersions.chain(codec.type())), codec.element());
            }
        }
    }

    private void write(JavaFile file, Element cause) {
        try {
            file.writeTo(processingEnv.getFiler());
        } catch (IOException e) {
            String name = file.packageName().isEmpty() ? file.typeSpec().name()
                    : file.packageName() + "." + file.typeSpec().name();
            reporter.report(Message.WRITE_FAILED, cause, name, e);
        }
    }

    /** {@code @Apply} only means something in an {@code @Aggregate} or {@code @Projection} class. */
    private void checkStrayApplyMethods(RoundEnvironment round) {
        TypeElement apply = processingEnv.getElementUtils().getTypeElement(APPLY);
        if (apply == null) {
            return;
        }
        for (Element method : round.getElementsAnnotatedWith(apply)) {
            try {
                Element owner = method.getEnclosingElement();
                if (!hasAnnotation(owner, AGGREGATE) && !hasAnnotation(owner, PROJECTION)) {
                    String ownerName = owner instanceof TypeElement t ? t.getQualifiedName().toString()
                            : owner.toString();
                    reporter.report(Message.APPLY_OUTSIDE, method,
                            owner.getSimpleName() + "." + method.getSimpleName() + "(...)", ownerName);
                }
            } catch (RuntimeException | LinkageError | AssertionError bug) {
                reporter.reportException(method, "checking @Apply method " + method, bug);
            }
        }
    }

    private static boolean hasAnnotation(Element element, String qualifiedName) {
        return element.getAnnotationMirrors().stream().anyMatch(
                m -> ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(qualifiedName));
    }

    /**
     * Last round: reads each still deferred type once more (elements from earlier rounds no longer
     * carry source positions) and reports the type that is still missing on the element using it.
     */
    private void reportUnresolved(Map<String, TypeNotReadyException> deferred, Function<TypeElement, Boolean> handler) {
        for (String name : deferred.keySet()) {
            TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
            if (type == null) {
                continue;
            }
            try {
                handler.apply(type);
            } catch (TypeNotReadyException e) {
                reporter.report(Message.UNRESOLVED_TYPE, e.element(), describe(e.element()), e.missing());
            } catch (RuntimeException | LinkageError | AssertionError bug) {
                reporter.reportException(type, "processing " + type.getQualifiedName() + " in the last round", bug);
            }
        }
        deferred.clear();
    }

    private static String describe(Element where) {
        if (where.getKind() == ElementKind.PARAMETER) {
            Element method = where.getEnclosingElement();
            return "parameter " + where.getSimpleName() + " of " + method.getEnclosingElement().getSimpleName()
                    + "." + method.getSimpleName();
        }
        if (where.getKind() == ElementKind.FIELD || where.getKind() == ElementKind.RECORD_COMPONENT) {
            return "field " + where.getSimpleName() + " of " + where.getEnclosingElement();
        }
        return where.toString();
    }

    private void writeIndexes() {
        for (ServiceIndex index : List.of(aggregateIndex, projectionIndex)) {
            try {
                index.write(processingEnv.getFiler(), this::classExists);
            } catch (IOException e) {
                reporter.reportWithoutElement(Message.SERVICE_INDEX_FAILED, index.path(), e);
            } catch (RuntimeException | LinkageError | AssertionError bug) {
                // The index lists every descriptor at once: there is no one element to report on.
                reporter.reportException(null, "writing " + index.path(), bug);
            }
        }
    }

    private void checkModuleServices() {
        try {
            moduleServices.check();
        } catch (RuntimeException | LinkageError | AssertionError bug) {
            reporter.reportException(null, "checking the provides directives of module-info.java", bug);
        }
    }

    /** Orphaned schema files (or the warning that no directory is set), once, after everything else. */
    private void finishSchemaLock(boolean errorsRaised) {
        try {
            schemaLock.finish(errorsRaised);
        } catch (RuntimeException | LinkageError | AssertionError bug) {
            reporter.reportException(null, "checking the recorded event schemas", bug);
        }
    }

    private boolean classExists(String binaryName) {
        return processingEnv.getElementUtils().getTypeElement(binaryName.replace('$', '.')) != null;
    }

    /** Whether the type (or its outermost enclosing type) is compiled from source in this compilation. */
    private boolean compiledFromSource(TypeElement type) {
        Element outer = type;
        while (outer.getEnclosingElement() instanceof TypeElement enclosing) {
            outer = enclosing;
        }
        return sourceTypes.contains(((TypeElement) outer).getQualifiedName().toString());
    }
}
