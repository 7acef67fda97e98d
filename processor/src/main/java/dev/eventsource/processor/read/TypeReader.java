package dev.eventsource.processor.read;

import dev.eventsource.processor.model.ClassRef;
import dev.eventsource.processor.model.EventModel;
import dev.eventsource.processor.model.FieldModel;
import dev.eventsource.processor.model.PrimitiveKind;
import dev.eventsource.processor.model.ScalarKind;
import dev.eventsource.processor.model.TypeModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads event types and the records nested in them (value types) into {@link EventModel}s, and field
 * types into {@link TypeModel}s. Each value type is read once per compilation and cached, broken ones
 * included (their errors are reported once, on their own elements).
 */
public final class TypeReader {

    private final Elements elements;
    private final Types types;
    private final Reporter reporter;
    private final Predicate<TypeElement> inThisCompilation;
    private final Map<String, EventModel> models = new HashMap<>();
    private final Set<String> broken = new HashSet<>();
    private final Set<String> inProgress = new HashSet<>();

    /**
     * @param inThisCompilation whether a type's source is compiled now (its codec is then always
     *     generated, never taken from a previous build's output)
     */
    public TypeReader(ProcessingEnvironment env, Reporter reporter, Predicate<TypeElement> inThisCompilation) {
        this.elements = env.getElementUtils();
        this.types = env.getTypeUtils();
        this.reporter = reporter;
        this.inThisCompilation = inThisCompilation;
    }

    Elements elements() {
        return elements;
    }

    Types types() {
        return types;
    }

    /**
     * The model of a record or final class used as an event or nested value, or {@code null} when it
     * is broken (errors reported on it). A type in a reference cycle that is still being read is
     * returned as {@code null} too; use {@link #isBroken} to tell the two apart.
     *
     * @throws TypeNotReadyException when one of its components refers to a type that does not exist yet
     */
    public EventModel valueType(TypeElement type) {
        String qn = type.getQualifiedName().toString();
        EventModel cached = models.get(qn);
        if (cached != null || broken.contains(qn) || !inProgress.add(qn)) {
            return cached;
        }
        try {
            int errorsBefore = reporter.errorCount();
            EventModel model = readValueType(type);
            if (model == null || reporter.errorCount() != errorsBefore) {
                broken.add(qn);
                return null;
            }
            models.put(qn, model);
            return model;
        } finally {
            inProgress.remove(qn);
        }
    }

    /**
     * The codecs an {@code @EventType} type needs (its own and those of its nested value types), or
     * {@code null} when it is broken. Lets a module of shared events, with no aggregate of its own,
     * ship their codecs for other modules to reuse.
     *
     * @throws TypeNotReadyException when it refers to a type that does not exist yet
     */
    public List<EventModel> annotatedEventType(TypeElement type) {
        if (!isValueCandidate(type)) {
            reporter.report(Message.EVENT_NOT_VALUE_TYPE, type, type.getQualifiedName(), notAValueClass(type));
            return null;
        }
        EventModel model = valueType(type);
        return model == null ? null : reachable(List.of(model), List.of());
    }

    /** Whether the value type was read and found broken. */
    public boolean isBroken(ClassRef type) {
        return broken.contains(type.canonicalName());
    }

    /** The model of a value type read before, or {@code null}. */
    public EventModel model(ClassRef type) {
        return models.get(type.canonicalName());
    }

    /** Whether {@code element} is a record or a final class: something that may be an event type. */
    static boolean isValueCandidate(TypeElement element) {
        return element.getKind() == ElementKind.RECORD
                || (element.getKind() == ElementKind.CLASS && element.getModifiers().contains(Modifier.FINAL));
    }

    private EventModel readValueType(TypeElement type) {
        ClassRef className = classRef(type);
        if (!checkNotPrivate(type, className.packageName())) {
            return null;
        }
        if (!type.getTypeParameters().isEmpty()) {
            reporter.report(Message.EVENT_GENERIC, type, type.getQualifiedName());
            return null;
        }
        List<FieldModel> fields = type.getKind() == ElementKind.RECORD ? recordFields(type) : classFields(type);
        if (fields == null) {
            return null;
        }
        AnnotationMirror eventType = Annotations.find(type, Annotations.EVENT_TYPE);
        String name = Annotations.string(eventType, "name");
        AnnotationValue nameValue = Annotations.explicit(eventType, "name");
        if (nameValue != null && name.isBlank()) {
            reporter.report(Message.BLANK_NAME, type, eventType, nameValue, "EventType", name, type.getQualifiedName());
        }
        int version = version(type);
        if (version < 1) {
            reporter.report(Message.EVENT_TYPE_VERSION, type, eventType, Annotations.explicit(eventType, "version"),
                    version, type.getQualifiedName());
        }
        String stableName = stableName(type);
        List<String> aliases = aliases(type, eventType, stableName);
        ClassRef codec = codecName(className);
        boolean generate = inThisCompilation.test(type)
                || elements.getTypeElement(codec.canonicalName()) == null;
        return new EventModel(className, codec, stableName, version, aliases, fields, generate, type);
    }

    /** The stable name stored with a type's events: {@code @EventType(name)}, else the simple name. */
    static String stableName(TypeElement type) {
        String name = Annotations.string(Annotations.find(type, Annotations.EVENT_TYPE), "name");
        return name.isEmpty() ? type.getSimpleName().toString() : name;
    }

    /** A type's payload version: {@code @EventType(version)}, else 1. */
    static int version(TypeElement type) {
        return Annotations.integer(Annotations.find(type, Annotations.EVENT_TYPE), "version", 1);
    }

    /** {@code @EventType(aliases)}: each non-blank, not the type's own name, listed once (else reported). */
    private List<String> aliases(TypeElement type, AnnotationMirror eventType, String stableName) {
        List<String> aliases = new ArrayList<>();
        for (AnnotationValue value : Annotations.array(eventType, "aliases")) {
            String alias = (String) value.getValue();
            if (alias.isBlank()) {
                reporter.report(Message.BLANK_ALIAS, type, eventType, value, alias, type.getQualifiedName());
            } else if (alias.equals(stableName)) {
                reporter.report(Message.ALIAS_IS_NAME, type, eventType, value, alias, type.getQualifiedName());
            } else if (aliases.contains(alias)) {
                reporter.report(Message.DUPLICATE_ALIAS, type, eventType, value, alias, type.getQualifiedName());
            } else {
                aliases.add(alias);
            }
        }
        return aliases;
    }

    /** Reports {@link Message#TYPE_PRIVATE} when the type or one of its enclosing types is private. */
    boolean checkNotPrivate(TypeElement type, String generatedPackage) {
        for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(Modifier.PRIVATE)) {
                reporter.report(Message.TYPE_PRIVATE, type, ((TypeElement) e).getQualifiedName(), generatedPackage);
                return false;
            }
        }
        return true;
    }

    private List<FieldModel> recordFields(TypeElement type) {
        List<FieldModel> fields = new ArrayList<>();
        boolean ok = true;
        for (RecordComponentElement c : type.getRecordComponents()) {
            // Report on the component's field: javac gives record components themselves no position.
            Element at = componentField(type, c);
            TypeModel t = fieldType(c.asType(), at);
            if (t == null) {
                reportUnsupported(at, c.getSimpleName(), type, c.asType(), Message.UNSUPPORTED_FIELD_TYPE);
                ok = false;
            } else {
                fields.add(new FieldModel(c.getSimpleName().toString(), t, c.getSimpleName() + "()", false));
            }
        }
        return ok ? fields : null;
    }

    private static Element componentField(TypeElement record, RecordComponentElement component) {
        for (VariableElement f : ElementFilter.fieldsIn(record.getEnclosedElements())) {
            if (f.getSimpleName().contentEquals(component.getSimpleName())) {
                return f;
            }
        }
        return component;
    }

    /**
     * A final class is a value type when its superclass is Object, all its instance fields are final,
     * a non-private constructor takes exactly those fields' types in declaration order, and each field
     * can be read: through {@code name()}, {@code getName()} or {@code isName()}, or directly when it is
     * not private.
     */
    private List<FieldModel> classFields(TypeElement type) {
        String reason = notAValueClass(type);
        if (reason != null) {
            reporter.report(Message.EVENT_NOT_VALUE_TYPE, type, type.getQualifiedName(), reason);
            return null;
        }
        List<VariableElement> instanceFields = new ArrayList<>();
        for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if (!f.getModifiers().contains(Modifier.STATIC)) {
                instanceFields.add(f);
            }
        }
        for (VariableElement f : instanceFields) {
            if (!f.getModifiers().contains(Modifier.FINAL)) {
                reporter.report(Message.EVENT_NOT_VALUE_TYPE, f, type.getQualifiedName(),
                        "field " + f.getSimpleName() + " is not final");
                return null;
            }
        }
        if (!hasCanonicalConstructor(type, instanceFields)) {
            reporter.report(Message.EVENT_NOT_VALUE_TYPE, type, type.getQualifiedName(),
                    "no non-private constructor takes its fields " + signature(instanceFields) + " in that order");
            return null;
        }
        List<FieldModel> fields = new ArrayList<>();
        boolean ok = true;
        for (VariableElement f : instanceFields) {
            String access = accessor(type, f);
            TypeModel t = fieldType(f.asType(), f);
            if (access == null) {
                reporter.report(Message.EVENT_NOT_VALUE_TYPE, f, type.getQualifiedName(), "field " + f.getSimpleName()
                        + " is private and has no accessor " + f.getSimpleName() + "() or get/is"
                        + capitalize(f.getSimpleName().toString()) + "()");
                ok = false;
            } else if (t == null) {
                reportUnsupported(f, f.getSimpleName(), type, f.asType(), Message.UNSUPPORTED_FIELD_TYPE);
                ok = false;
            } else {
                fields.add(new FieldModel(f.getSimpleName().toString(), t, access, false));
            }
        }
        return ok ? fields : null;
    }

    /** Why {@code type} cannot be a value class, or {@code null} when it may be one. */
    static String notAValueClass(TypeElement type) {
        switch (type.getKind()) {
            case RECORD:
                return null;
            case ENUM:
                return "it is an enum (enums can be fields of events, not events)";
            case INTERFACE:
                return type.getModifiers().contains(Modifier.SEALED)
                        ? "it is a sealed interface, which can be handled by @Apply methods or be the type of a"
                                + " field (written as {\"<subtype>\": {...}}), but is not a value type itself"
                        : "it is an interface that is not sealed";
            case ANNOTATION_TYPE:
                return "it is an annotation type";
            default:
                break;
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            return "it is an abstract class";
        }
        if (!type.getModifiers().contains(Modifier.FINAL)) {
            return "it is a class that is not final";
        }
        TypeMirror superclass = type.getSuperclass();
        if (superclass.getKind() == TypeKind.DECLARED
                && !((TypeElement) ((DeclaredType) superclass).asElement()).getQualifiedName().contentEquals("java.lang.Object")) {
            return "it extends " + superclass + ", and inherited fields are not read";
        }
        return null;
    }

    private boolean hasCanonicalConstructor(TypeElement type, List<VariableElement> fields) {
        for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            if (c.getModifiers().contains(Modifier.PRIVATE) || c.getParameters().size() != fields.size()) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < fields.size() && same; i++) {
                same = types.isSameType(c.getParameters().get(i).asType(), fields.get(i).asType());
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    private String accessor(TypeElement type, VariableElement field) {
        String name = field.getSimpleName().toString();
        List<String> candidates = List.of(name, "get" + capitalize(name), "is" + capitalize(name));
        for (String candidate : candidates) {
            for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
                if (m.getSimpleName().contentEquals(candidate) && m.getParameters().isEmpty()
                        && !m.getModifiers().contains(Modifier.PRIVATE) && !m.getModifiers().contains(Modifier.STATIC)
                        && types.isSameType(m.getReturnType(), field.asType())) {
                    return candidate + "()";
                }
            }
        }
        return field.getModifiers().contains(Modifier.PRIVATE) ? null : name;
    }

    /**
     * The model of a field type, or {@code null} when it is not supported. Nested records and final
     * classes are read as value types on the way (errors in them are reported on them).
     *
     * @param owner the element declaring the type, named when the type does not exist yet
     * @throws TypeNotReadyException when the type (or a type argument) does not exist yet
     */
    public TypeModel fieldType(TypeMirror mirror, Element owner) {
        switch (mirror.getKind()) {
            case ERROR:
                throw new TypeNotReadyException(owner, mirror.toString());
            case BOOLEAN: return new TypeModel.Primitive(PrimitiveKind.BOOLEAN, false);
            case BYTE: return new TypeModel.Primitive(PrimitiveKind.BYTE, false);
            case SHORT: return new TypeModel.Primitive(PrimitiveKind.SHORT, false);
            case INT: return new TypeModel.Primitive(PrimitiveKind.INT, false);
            case LONG: return new TypeModel.Primitive(PrimitiveKind.LONG, false);
            case FLOAT: return new TypeModel.Primitive(PrimitiveKind.FLOAT, false);
            case DOUBLE: return new TypeModel.Primitive(PrimitiveKind.DOUBLE, false);
            case CHAR: return new TypeModel.Primitive(PrimitiveKind.CHAR, false);
            case ARRAY: {
                TypeMirror component = ((ArrayType) mirror).getComponentType();
                if (component.getKind() == TypeKind.BYTE) {
                    return new TypeModel.Scalar(ScalarKind.BYTES);
                }
                TypeModel element = component.getKind().isPrimitive() ? fieldType(component, owner) : null;
                return element == null ? null : new TypeModel.PrimitiveArray(((TypeModel.Primitive) element).kind());
            }
            case DECLARED:
                return declaredType((DeclaredType) mirror, owner);
            default:
                return null;
        }
    }

    private TypeModel declaredType(DeclaredType declared, Element owner) {
        TypeElement element = (TypeElement) declared.asElement();
        String qn = element.getQualifiedName().toString();
        List<? extends TypeMirror> args = declared.getTypeArguments();
        PrimitiveKind box = BOXES.get(qn);
        if (box != null) {
            return new TypeModel.Primitive(box, true);
        }
        ScalarKind scalar = ScalarKind.of(qn);
        if (scalar != null) {
            return new TypeModel.Scalar(scalar);
        }
        switch (qn) {
            case "java.util.List":
            case "java.util.Set":
            case "java.util.Optional": {
                TypeModel e = args.size() == 1 ? fieldType(args.get(0), owner) : null;
                if (e == null) {
                    return null;
                }
                return qn.equals("java.util.List") ? new TypeModel.ListOf(e)
                        : qn.equals("java.util.Set") ? new TypeModel.SetOf(e) : new TypeModel.OptionalOf(e);
            }
            case "java.util.Map": {
                if (args.size() != 2) {
                    return null;
                }
                TypeModel k = mapKey(args.get(0), owner);
                TypeModel v = k == null ? null : fieldType(args.get(1), owner);
                return v == null ? null : new TypeModel.MapOf(k, v);
            }
            default:
                break;
        }
        if (element.getKind() == ElementKind.ENUM) {
            List<String> constants = new ArrayList<>();
            for (Element e : element.getEnclosedElements()) {
                if (e.getKind() == ElementKind.ENUM_CONSTANT) {
                    constants.add(e.getSimpleName().toString());
                }
            }
            return new TypeModel.EnumRef(classRef(element), constants);
        }
        if (isSealedInterface(element) && !isJdkType(element) && args.isEmpty()) {
            return sealedType(element, owner);
        }
        if (isValueCandidate(element) && !isJdkType(element) && args.isEmpty()) {
            valueType(element);
            ClassRef type = classRef(element);
            return new TypeModel.ValueRef(type, codecName(type));
        }
        return null;
    }

    /** The model of a map's key type, or {@code null} when it cannot key a JSON object. */
    private TypeModel mapKey(TypeMirror key, Element owner) {
        if (key.getKind() == TypeKind.ERROR) {
            throw new TypeNotReadyException(owner, key.toString());
        }
        if (key.getKind() != TypeKind.DECLARED) {
            return null;
        }
        TypeElement element = (TypeElement) ((DeclaredType) key).asElement();
        // Only key types are read here: a record as a key would be read as a value type for nothing.
        boolean candidate = element.getKind() == ElementKind.ENUM || BOXES.containsKey(element.getQualifiedName().toString())
                || ScalarKind.of(element.getQualifiedName().toString()) != null;
        TypeModel model = candidate ? fieldType(key, owner) : null;
        return model != null && TypeModel.MapOf.isKey(model) ? model : null;
    }

    private static boolean isSealedInterface(TypeElement element) {
        return element.getKind() == ElementKind.INTERFACE && element.getModifiers().contains(Modifier.SEALED);
    }

    /**
     * A sealed interface as a field type, its subtypes read as value types on the way; {@code null}
     * when {@link #sealedProblem} finds one (reported by {@link #reportUnsupported}).
     */
    private TypeModel sealedType(TypeElement sealed, Element owner) {
        if (sealedProblem(sealed, owner) != null) {
            return null;
        }
        List<TypeModel.Variant> variants = new ArrayList<>();
        for (TypeElement sub : permitted(sealed, owner)) {
            valueType(sub);
            ClassRef type = classRef(sub);
            variants.add(new TypeModel.Variant(stableName(sub), type, codecName(type)));
        }
        variants.sort((a, b) -> a.discriminator().compareTo(b.discriminator()));
        return new TypeModel.SealedRef(classRef(sealed), variants);
    }

    private static List<TypeElement> permitted(TypeElement sealed, Element owner) {
        List<TypeElement> subs = new ArrayList<>();
        for (TypeMirror permitted : sealed.getPermittedSubclasses()) {
            if (permitted.getKind() == TypeKind.ERROR) {
                throw new TypeNotReadyException(owner, permitted.toString());
            }
            subs.add((TypeElement) ((DeclaredType) permitted).asElement());
        }
        return subs;
    }

    /** Why a sealed interface cannot be a field type, as a message and its arguments after the field's; or {@code null}. */
    private static Problem sealedProblem(TypeElement sealed, Element owner) {
        Map<String, TypeElement> byDiscriminator = new HashMap<>();
        for (TypeElement sub : permitted(sealed, owner)) {
            String why = subtypeProblem(sub);
            if (why != null) {
                return new Problem(Message.SEALED_FIELD_SUBTYPE, sub.getQualifiedName(), why);
            }
            String discriminator = stableName(sub);
            TypeElement other = byDiscriminator.put(discriminator, sub);
            if (other != null) {
                return new Problem(Message.SEALED_DISCRIMINATOR_CLASH, other.getQualifiedName(), sub.getQualifiedName(),
                        discriminator);
            }
        }
        return null;
    }

    /** Why a permitted subtype has no codec of its own, or {@code null} when it is a value type. */
    private static String subtypeProblem(TypeElement sub) {
        if (sub.getKind() == ElementKind.INTERFACE) {
            return "is an interface (a sealed hierarchy nested in another is not supported)";
        }
        if (!isValueCandidate(sub)) {
            return "is not a record or final class (a non-sealed or open class can have subtypes no codec knows)";
        }
        if (!sub.getTypeParameters().isEmpty()) {
            return "has type parameters";
        }
        String reason = notAValueClass(sub);
        return reason == null ? null : "cannot be a value type: " + reason;
    }

    /** A diagnostic found on the way, waiting for the field it belongs to. */
    private record Problem(Message message, Object... args) {
    }

    /**
     * Reports a field type that {@link #fieldType} rejected: a sealed interface in it (also as a type
     * argument) with its own message saying why, anything else with {@code generic}.
     *
     * @param generic a message taking the field's name, its declaring type and the field type
     */
    void reportUnsupported(Element at, CharSequence field, TypeElement declaring, TypeMirror type, Message generic) {
        Problem problem = firstSealedProblem(type, at);
        if (problem == null) {
            reporter.report(generic, at, field, declaring.getQualifiedName(), type);
            return;
        }
        List<Object> args = new ArrayList<>(List.of(field, declaring.getQualifiedName(), type));
        args.addAll(List.of(problem.args()));
        reporter.report(problem.message(), at, args.toArray());
    }

    private Problem firstSealedProblem(TypeMirror type, Element owner) {
        if (type.getKind() != TypeKind.DECLARED) {
            return null;
        }
        for (TypeMirror arg : ((DeclaredType) type).getTypeArguments()) {
            Problem p = firstSealedProblem(arg, owner);
            if (p != null) {
                return p;
            }
        }
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        return isSealedInterface(element) && !isJdkType(element) ? sealedProblem(element, owner) : null;
    }

    private boolean isJdkType(TypeElement element) {
        PackageElement pkg = elements.getPackageOf(element);
        String name = pkg.getQualifiedName().toString();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.");
    }

    /**
     * Every value type reachable from {@code roots} through fields, each once, in a stable order; or
     * {@code null} when one of them is broken (its errors were reported on it).
     */
    public List<EventModel> reachable(List<EventModel> roots, List<FieldModel> extraFields) {
        Map<String, EventModel> seen = new LinkedHashMap<>();
        List<TypeModel> pending = new ArrayList<>();
        for (EventModel m : roots) {
            pending.add(new TypeModel.ValueRef(m.type(), m.codec()));
        }
        for (FieldModel f : extraFields) {
            pending.add(f.type());
        }
        while (!pending.isEmpty()) {
            TypeModel t = pending.remove(pending.size() - 1);
            if (t instanceof TypeModel.ValueRef v) {
                String qn = v.type().canonicalName();
                if (seen.containsKey(qn)) {
                    continue;
                }
                EventModel m = models.get(qn);
                if (m == null) {
                    return null;
                }
                seen.put(qn, m);
                for (FieldModel f : m.fields()) {
                    pending.add(f.type());
                }
            } else if (t instanceof TypeModel.ListOf l) {
                pending.add(l.element());
            } else if (t instanceof TypeModel.SetOf s) {
                pending.add(s.element());
            } else if (t instanceof TypeModel.OptionalOf o) {
                pending.add(o.element());
            } else if (t instanceof TypeModel.MapOf m) {
                pending.add(m.key());
                pending.add(m.value());
            } else if (t instanceof TypeModel.SealedRef s) {
                for (TypeModel.Variant v : s.variants()) {
                    pending.add(new TypeModel.ValueRef(v.type(), v.codec()));
                }
            }
        }
        List<EventModel> result = new ArrayList<>(seen.values());
        result.sort((a, b) -> a.type().canonicalName().compareTo(b.type().canonicalName()));
        return result;
    }

    /** The annotated type followed by the value types its generated code depends on. */
    static List<Element> originating(TypeElement type, List<EventModel> reachable) {
        List<Element> originating = new ArrayList<>();
        originating.add(type);
        for (EventModel e : reachable) {
            originating.add(e.element());
        }
        return originating;
    }

    /**
     * The canonical text of a type for fingerprints, with nested value types expanded into their
     * fields and enums into their constants, so that a change anywhere in the stored shape changes it.
     */
    public String canonical(TypeModel type) {
        StringBuilder sb = new StringBuilder();
        appendCanonical(type, sb, new HashSet<>());
        return sb.toString();
    }

    private void appendCanonical(TypeModel type, StringBuilder sb, Set<String> expanding) {
        if (type instanceof TypeModel.ValueRef v) {
            String qn = v.type().canonicalName();
            sb.append(qn);
            EventModel m = models.get(qn);
            if (m != null && expanding.add(qn)) {
                sb.append('{');
                appendFields(m.fields(), sb, expanding);
                sb.append('}');
                expanding.remove(qn);
            }
        } else if (type instanceof TypeModel.EnumRef e) {
            sb.append(e.type().canonicalName()).append('[').append(String.join(",", e.constants())).append(']');
        } else if (type instanceof TypeModel.ListOf l) {
            sb.append("java.util.List<");
            appendCanonical(l.element(), sb, expanding);
            sb.append('>');
        } else if (type instanceof TypeModel.SetOf s) {
            sb.append("java.util.Set<");
            appendCanonical(s.element(), sb, expanding);
            sb.append('>');
        } else if (type instanceof TypeModel.OptionalOf o) {
            sb.append("java.util.Optional<");
            appendCanonical(o.element(), sb, expanding);
            sb.append('>');
        } else if (type instanceof TypeModel.MapOf m) {
            // String keys append java.lang.String, as before keys were models: their fingerprints stay.
            sb.append("java.util.Map<");
            appendCanonical(m.key(), sb, expanding);
            sb.append(',');
            appendCanonical(m.value(), sb, expanding);
            sb.append('>');
        } else if (type instanceof TypeModel.SealedRef s) {
            sb.append(s.type().canonicalName()).append('(');
            for (int i = 0; i < s.variants().size(); i++) {
                TypeModel.Variant v = s.variants().get(i);
                sb.append(i == 0 ? "" : "|").append(v.discriminator()).append('=');
                appendCanonical(new TypeModel.ValueRef(v.type(), v.codec()), sb, expanding);
            }
            sb.append(')');
        } else {
            sb.append(type.canonical());
        }
    }

    /** Appends {@code name:type} for each field, separated by {@code ,}. */
    public void appendFields(List<FieldModel> fields, StringBuilder sb, Set<String> expanding) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(fields.get(i).name()).append(':');
            appendCanonical(fields.get(i).type(), sb, expanding);
        }
    }

    /** {@code com.acme.Outer.Inner} -> {@code com.acme.Outer_Inner_Codec}. */
    public static ClassRef codecName(ClassRef type) {
        return type.generated("_Codec");
    }

    /**
     * The name of a class, nested or top-level, as the model keeps it.
     *
     * @throws IllegalArgumentException for a local or anonymous class, which generated code cannot name
     */
    static ClassRef classRef(TypeElement type) {
        List<String> simpleNames = new ArrayList<>();
        Element e = type;
        for (; e instanceof TypeElement t; e = t.getEnclosingElement()) {
            simpleNames.add(0, t.getSimpleName().toString());
        }
        if (!(e instanceof PackageElement pkg)) {
            throw new IllegalArgumentException(type + " is nested in " + e.getKind() + " " + e
                    + ", and generated code cannot name a local class");
        }
        return new ClassRef(pkg.getQualifiedName().toString(), simpleNames);
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String signature(List<VariableElement> fields) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < fields.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(fields.get(i).asType()).append(' ').append(fields.get(i).getSimpleName());
        }
        return sb.append(')').toString();
    }

    private static final Map<String, PrimitiveKind> BOXES = Map.of(
            "java.lang.Boolean", PrimitiveKind.BOOLEAN,
            "java.lang.Byte", PrimitiveKind.BYTE,
            "java.lang.Short", PrimitiveKind.SHORT,
            "java.lang.Integer", PrimitiveKind.INT,
            "java.lang.Long", PrimitiveKind.LONG,
            "java.lang.Float", PrimitiveKind.FLOAT,
            "java.lang.Double", PrimitiveKind.DOUBLE,
            "java.lang.Character", PrimitiveKind.CHAR);
}
