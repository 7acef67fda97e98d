package dev.eventsource.processor.read;

import dev.eventsource.processor.model.AggregateModel;
import dev.eventsource.processor.model.ClassRef;
import dev.eventsource.processor.model.EventModel;
import dev.eventsource.processor.model.FieldModel;
import dev.eventsource.processor.model.SnapshotModel;
import dev.eventsource.processor.model.TypeModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/** Reads an {@code @Aggregate} class into an {@link AggregateModel}, reporting what is wrong with it. */
public final class AggregateReader {

    static final String AGGREGATE_ROOT = "dev.eventsource.AggregateRoot";
    private static final int NO_SNAPSHOTS = -1;

    private final TypeReader typeReader;
    private final HandlerReader handlerReader;
    private final ApplyHash applyHash;
    private final Reporter reporter;

    public AggregateReader(ProcessingEnvironment env, TypeReader typeReader, EventVersions versions, Reporter reporter) {
        this.typeReader = typeReader;
        this.handlerReader = new HandlerReader(typeReader, versions, reporter);
        this.applyHash = new ApplyHash(env, reporter);
        this.reporter = reporter;
    }

    /**
     * The model, or {@code null} when the aggregate is broken (errors reported).
     *
     * @throws TypeNotReadyException when it refers to a type that does not exist yet
     */
    public AggregateModel read(TypeElement type) {
        int errorsBefore = reporter.errorCount();
        if (type.getKind() != ElementKind.CLASS) {
            reporter.report(Message.AGGREGATE_NOT_CLASS, type, type.getQualifiedName(), kindName(type));
            return null;
        }
        ClassRef className = TypeReader.classRef(type);
        if (!typeReader.checkNotPrivate(type, className.packageName())) {
            return null;
        }
        if (!extendsAggregateRoot(type)) {
            reporter.report(Message.AGGREGATE_BASE, type, type.getQualifiedName());
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            reporter.report(Message.AGGREGATE_ABSTRACT, type, type.getQualifiedName());
        } else if (!hasNoArgConstructor(type)) {
            boolean inner = type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC);
            reporter.report(Message.AGGREGATE_CONSTRUCTOR, type, type.getQualifiedName(),
                    inner ? ", and make the nested class static" : "");
        }
        AnnotationMirror annotation = Annotations.find(type, Annotations.AGGREGATE);
        String streamType = name(type, annotation, "Aggregate");
        int snapshotEvery = Annotations.integer(annotation, "snapshotEvery", 0);
        if (snapshotEvery < NO_SNAPSHOTS) {
            reporter.report(Message.SNAPSHOT_EVERY, type, annotation, Annotations.explicit(annotation, "snapshotEvery"),
                    snapshotEvery, type.getQualifiedName());
        }

        int snapshotVersion = Annotations.integer(annotation, "snapshotVersion", 1);
        if (snapshotVersion < 1) {
            reporter.report(Message.SNAPSHOT_VERSION, type, annotation, Annotations.explicit(annotation, "snapshotVersion"),
                    snapshotVersion, type.getQualifiedName());
        }

        HandlerReader.Handlers handlers = handlerReader.read(type, true);
        SnapshotModel snapshot = snapshotEvery == NO_SNAPSHOTS ? null : snapshot(type, snapshotVersion);
        List<EventModel> reachable = typeReader.reachable(handlers.events(),
                snapshot == null ? List.of() : snapshot.fields());
        if (!handlers.ok() || reachable == null || reporter.errorCount() != errorsBefore) {
            return null;
        }
        return new AggregateModel(className, descriptorName(className, "_Aggregate"), streamType, snapshotEvery,
                handlers.dispatch(), handlers.events(), snapshot, reachable, TypeReader.originating(type, reachable));
    }

    /** The stable name from the annotation's {@code name}, else the simple class name. */
    String name(TypeElement type, AnnotationMirror annotation, String annotationName) {
        String name = Annotations.string(annotation, "name");
        AnnotationValue value = Annotations.explicit(annotation, "name");
        if (value != null && name.isBlank()) {
            reporter.report(Message.BLANK_NAME, type, annotation, value, annotationName, name, type.getQualifiedName());
        }
        return name.isEmpty() ? type.getSimpleName().toString() : name;
    }

    /** {@code com.acme.Outer.Inner} + {@code _Aggregate} -> {@code com.acme.Outer_Inner_Aggregate}. */
    static ClassRef descriptorName(ClassRef type, String suffix) {
        return type.generated(suffix);
    }

    static String kindName(TypeElement type) {
        switch (type.getKind()) {
            case INTERFACE: return "an interface";
            case ENUM: return "an enum";
            case RECORD: return "a record";
            case ANNOTATION_TYPE: return "an annotation type";
            default: return "not a class";
        }
    }

    private boolean extendsAggregateRoot(TypeElement type) {
        TypeMirror superclass = type.getSuperclass();
        while (superclass.getKind() == TypeKind.DECLARED || superclass.getKind() == TypeKind.ERROR) {
            if (superclass.getKind() == TypeKind.ERROR) {
                throw new TypeNotReadyException(type, superclass.toString());
            }
            TypeElement e = (TypeElement) ((DeclaredType) superclass).asElement();
            if (e.getQualifiedName().contentEquals(AGGREGATE_ROOT)) {
                return true;
            }
            superclass = e.getSuperclass();
        }
        return false;
    }

    private static boolean hasNoArgConstructor(TypeElement type) {
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            return false;
        }
        for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            if (c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The snapshot state: non-static, non-transient fields from the topmost superclass below
     * {@code AggregateRoot} down to the class itself, each class in declaration order. The
     * fingerprint's text is their shape, then {@code |snapshotVersion:N}, then, where the compiler
     * has the Trees API, {@code |apply:<hash of the @Apply methods>} (see {@link ApplyHash}).
     */
    private SnapshotModel snapshot(TypeElement type, int snapshotVersion) {
        List<TypeElement> chain = new ArrayList<>();
        for (TypeElement t = type; t != null && !t.getQualifiedName().contentEquals(AGGREGATE_ROOT); t = superclass(t)) {
            chain.add(0, t);
        }
        String pkg = TypeReader.classRef(type).packageName();
        List<FieldModel> fields = new ArrayList<>();
        Map<String, TypeElement> declaredIn = new HashMap<>();
        for (TypeElement owner : chain) {
            boolean samePackage = TypeReader.classRef(owner).packageName().equals(pkg);
            for (VariableElement f : ElementFilter.fieldsIn(owner.getEnclosedElements())) {
                FieldModel field = stateField(type, owner, samePackage, f, declaredIn);
                if (field != null) {
                    fields.add(field);
                }
            }
        }
        StringBuilder canonical = new StringBuilder();
        typeReader.appendFields(fields, canonical, new HashSet<>());
        canonical.append("|snapshotVersion:").append(snapshotVersion);
        String logic = applyHash.of(type);
        if (logic != null) {
            canonical.append('|').append(logic);
        }
        return new SnapshotModel(fields, canonical.toString(), fnv1a64(canonical.toString()));
    }

    private FieldModel stateField(TypeElement aggregate, TypeElement owner, boolean samePackage, VariableElement f,
            Map<String, TypeElement> declaredIn) {
        if (f.getModifiers().contains(Modifier.STATIC) || f.getModifiers().contains(Modifier.TRANSIENT)) {
            return null;
        }
        String name = f.getSimpleName().toString();
        TypeElement hidden = declaredIn.put(name, owner);
        if (hidden != null) {
            reporter.report(Message.STATE_FIELD_HIDDEN, f, name, owner.getQualifiedName(), hidden.getQualifiedName());
            return null;
        }
        if (f.getModifiers().contains(Modifier.PRIVATE)) {
            reporter.report(Message.PRIVATE_STATE_FIELD, f, name, owner.getQualifiedName());
            return null;
        }
        if (!samePackage && !f.getModifiers().contains(Modifier.PUBLIC)) {
            reporter.report(Message.STATE_FIELD_ACCESS, f, name, owner.getQualifiedName(), aggregate.getQualifiedName());
            return null;
        }
        TypeModel t = typeReader.fieldType(f.asType(), f);
        if (t == null) {
            typeReader.reportUnsupported(f, name, owner, f.asType(), Message.UNSUPPORTED_STATE_FIELD);
            return null;
        }
        boolean collection = t instanceof TypeModel.ListOf || t instanceof TypeModel.SetOf || t instanceof TypeModel.MapOf;
        if (f.getModifiers().contains(Modifier.FINAL) && !collection) {
            reporter.report(Message.FINAL_STATE_FIELD, f, name, owner.getQualifiedName());
            return null;
        }
        return new FieldModel(name, t, name, f.getModifiers().contains(Modifier.FINAL));
    }

    private static TypeElement superclass(TypeElement type) {
        TypeMirror s = type.getSuperclass();
        return s.getKind() == TypeKind.DECLARED ? (TypeElement) ((DeclaredType) s).asElement() : null;
    }

    /** 64-bit FNV-1a over the UTF-8 bytes of {@code text}. */
    static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
