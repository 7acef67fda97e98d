package dev.eventsource.processor.read;

import dev.eventsource.processor.model.EventModel;
import dev.eventsource.processor.model.HandlerModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Reads the {@code @Apply} methods of an aggregate or projection: checks each method, resolves the
 * event types it covers (a sealed parameter type covers its permitted subtypes that have no handler
 * of their own) and orders the dispatcher's branches most specific first.
 */
final class HandlerReader {

    private static final String EVENT_ENVELOPE = "dev.eventsource.EventEnvelope";

    /** The handlers of one class; {@code ok} is false when an error was reported. */
    record Handlers(List<HandlerModel> dispatch, List<EventModel> events, boolean ok, int count) {
    }

    private final TypeReader typeReader;
    private final EventVersions versions;
    private final Reporter reporter;

    HandlerReader(TypeReader typeReader, EventVersions versions, Reporter reporter) {
        this.typeReader = typeReader;
        this.versions = versions;
        this.reporter = reporter;
    }

    /** One {@code @Apply} method after its own checks. */
    private record Method(ExecutableElement element, TypeElement param, boolean envelope, List<TypeElement> leaves) {
        boolean sealed() {
            return param.getModifiers().contains(Modifier.SEALED);
        }
    }

    /**
     * @param warnUncovered whether to warn about sibling subtypes of a sealed type that no method
     *     handles (aggregates: applying such an event fails; projections ignore events on purpose)
     */
    Handlers read(TypeElement owner, boolean warnUncovered) {
        int errorsBefore = reporter.errorCount();
        List<Method> methods = new ArrayList<>();
        int count = 0;
        for (ExecutableElement m : ElementFilter.methodsIn(owner.getEnclosedElements())) {
            if (Annotations.find(m, Annotations.APPLY) != null) {
                count++;
                Method method = method(owner, m);
                if (method != null) {
                    methods.add(method);
                }
            }
        }

        // One method per parameter type.
        Map<String, Method> byParam = new LinkedHashMap<>();
        for (Method m : methods) {
            Method previous = byParam.putIfAbsent(m.param.getQualifiedName().toString(), m);
            if (previous != null) {
                reporter.report(Message.APPLY_DUPLICATE, m.element, describe(owner, m.element),
                        m.param.getQualifiedName(), describe(owner, previous.element));
            }
        }

        // Each concrete event type goes to its own method, else to the most specific sealed one.
        List<Method> direct = new ArrayList<>();
        List<Method> sealed = new ArrayList<>();
        for (Method m : byParam.values()) {
            (m.sealed() ? sealed : direct).add(m);
        }
        sealed = mostSpecificFirst(sealed);
        Map<String, EventModel> events = new LinkedHashMap<>();
        Map<String, Method> handlerOf = new LinkedHashMap<>();
        boolean eventsOk = true;
        for (Method m : direct) {
            eventsOk &= addLeaves(m, events, handlerOf);
        }
        for (Method m : sealed) {
            eventsOk &= addLeaves(m, events, handlerOf);
        }

        // Stored names (stable names and aliases) must be unique, whatever the version: they select the codec.
        Map<String, EventModel> byName = new LinkedHashMap<>();
        for (EventModel e : events.values()) {
            List<String> storedNames = new ArrayList<>(List.of(e.name()));
            storedNames.addAll(e.aliases());
            for (String storedName : storedNames) {
                EventModel other = byName.putIfAbsent(storedName, e);
                if (other != null) {
                    reporter.report(Message.DUPLICATE_EVENT_NAME, handlerOf.get(e.type().canonicalName()).element,
                            other.type().canonicalName(), e.type().canonicalName(), storedName,
                            owner.getQualifiedName());
                }
            }
        }

        if (warnUncovered) {
            warnUncoveredSiblings(owner, byParam.values(), handlerOf.keySet());
        }

        List<HandlerModel> dispatch = new ArrayList<>();
        for (Method m : direct) {
            dispatch.add(new HandlerModel(TypeReader.classRef(m.param), m.element.getSimpleName().toString(),
                    m.envelope));
        }
        for (Method m : sealed) {
            dispatch.add(new HandlerModel(TypeReader.classRef(m.param), m.element.getSimpleName().toString(),
                    m.envelope));
        }
        List<EventModel> sorted = new ArrayList<>(events.values());
        sorted.sort(Comparator.comparing(EventModel::name).thenComparing(e -> e.type().canonicalName()));
        return new Handlers(dispatch, sorted, eventsOk && reporter.errorCount() == errorsBefore, count);
    }

    /** Adds the event types {@code m} handles; false when one of them is broken (reported on it). */
    private boolean addLeaves(Method m, Map<String, EventModel> events, Map<String, Method> handlerOf) {
        boolean ok = true;
        for (TypeElement leaf : m.leaves) {
            String qn = leaf.getQualifiedName().toString();
            if (handlerOf.containsKey(qn)) {
                continue;
            }
            String current = versions.currentIfLegacy(leaf);
            if (current != null) {
                String viaSealed = leaf.equals(m.param) ? ""
                        : " (" + leaf.getSimpleName() + " is a permitted subtype of " + m.param.getSimpleName()
                                + "; a legacy class must not implement a handled sealed interface)";
                reporter.report(Message.APPLY_LEGACY_VERSION, m.element,
                        describe((TypeElement) m.element.getEnclosingElement(), m.element), leaf.getQualifiedName(), TypeReader.version(leaf), TypeReader.stableName(leaf),
                        versions.currentVersion(leaf), current, current.substring(current.lastIndexOf('.') + 1),
                        viaSealed);
                handlerOf.put(qn, m);
                ok = false;
                continue;
            }
            EventModel model = typeReader.valueType(leaf);
            handlerOf.put(qn, m);
            if (model != null) {
                events.put(qn, model);
            } else {
                ok = false;
            }
        }
        return ok;
    }

    /** Checks one method; {@code null} when it cannot be used (errors reported). */
    private Method method(TypeElement owner, ExecutableElement m) {
        String name = describe(owner, m);
        boolean ok = true;
        if (m.getModifiers().contains(Modifier.PRIVATE)) {
            reporter.report(Message.APPLY_PRIVATE, m, name);
            ok = false;
        }
        if (m.getModifiers().contains(Modifier.STATIC)) {
            reporter.report(Message.APPLY_STATIC, m, name);
            ok = false;
        }
        for (TypeMirror thrown : m.getThrownTypes()) {
            if (checked(thrown)) {
                reporter.report(Message.APPLY_THROWS, m, name, thrown);
                ok = false;
            }
        }
        List<? extends VariableElement> params = m.getParameters();
        if (params.isEmpty() || params.size() > 2) {
            reporter.report(Message.APPLY_ARITY, m, name, params.size());
            return null;
        }
        VariableElement eventParam = params.get(0);
        TypeMirror eventType = eventParam.asType();
        if (eventType.getKind() == TypeKind.ERROR) {
            throw new TypeNotReadyException(eventParam, eventType.toString());
        }
        if (eventType.getKind() != TypeKind.DECLARED) {
            reporter.report(Message.EVENT_NOT_VALUE_TYPE, eventParam, eventType, "it is not a class, record or interface");
            return null;
        }
        TypeElement param = (TypeElement) ((DeclaredType) eventType).asElement();
        boolean envelope = params.size() == 2;
        if (envelope && !isEnvelopeOf(params.get(1).asType(), eventType)) {
            if (params.get(1).asType().getKind() == TypeKind.ERROR) {
                throw new TypeNotReadyException(params.get(1), params.get(1).asType().toString());
            }
            reporter.report(Message.APPLY_ENVELOPE, params.get(1), name, params.get(1).asType(), param.getSimpleName());
            ok = false;
        }
        if (!param.getTypeParameters().isEmpty()) {
            reporter.report(Message.EVENT_GENERIC, eventParam, param.getQualifiedName());
            return null;
        }
        List<TypeElement> leaves = new ArrayList<>();
        if (param.getModifiers().contains(Modifier.SEALED)) {
            collectLeaves(param, param, m, leaves, new LinkedHashSet<>());
        } else if (TypeReader.isValueCandidate(param)) {
            leaves.add(param);
        } else {
            reporter.report(Message.EVENT_NOT_VALUE_TYPE, eventParam, param.getQualifiedName(),
                    TypeReader.notAValueClass(param));
            return null;
        }
        return ok ? new Method(m, param, envelope, leaves) : null;
    }

    /** Whether {@code thrown} is a checked exception: neither a RuntimeException nor an Error. */
    private boolean checked(TypeMirror thrown) {
        TypeMirror runtime = typeReader.elements().getTypeElement("java.lang.RuntimeException").asType();
        TypeMirror error = typeReader.elements().getTypeElement("java.lang.Error").asType();
        return !typeReader.types().isAssignable(thrown, runtime) && !typeReader.types().isAssignable(thrown, error);
    }

    /** The records and final classes under a sealed type, in {@code permits} order. */
    private void collectLeaves(TypeElement root, TypeElement type, ExecutableElement method, List<TypeElement> leaves,
            Set<String> visited) {
        if (!visited.add(type.getQualifiedName().toString())) {
            return;
        }
        for (TypeMirror permitted : type.getPermittedSubclasses()) {
            if (permitted.getKind() == TypeKind.ERROR) {
                throw new TypeNotReadyException(type, permitted.toString());
            }
            TypeElement sub = (TypeElement) ((DeclaredType) permitted).asElement();
            if (sub.getModifiers().contains(Modifier.SEALED)) {
                collectLeaves(root, sub, method, leaves, visited);
            } else if (TypeReader.isValueCandidate(sub)) {
                leaves.add(sub);
            } else {
                reporter.report(Message.SEALED_OPEN_SUBTYPE, method, sub.getQualifiedName(), root.getQualifiedName());
            }
        }
    }

    private boolean isEnvelopeOf(TypeMirror second, TypeMirror event) {
        if (second.getKind() != TypeKind.DECLARED) {
            return false;
        }
        DeclaredType d = (DeclaredType) second;
        return ((TypeElement) d.asElement()).getQualifiedName().contentEquals(EVENT_ENVELOPE)
                && d.getTypeArguments().size() == 1
                && typeReader.types().isSameType(d.getTypeArguments().get(0), event);
    }

    /** Sealed handlers ordered so that a subtype's handler comes before its supertype's. */
    private List<Method> mostSpecificFirst(List<Method> sealed) {
        List<Method> ordered = new ArrayList<>();
        for (Method m : sealed) {
            int at = ordered.size();
            for (int i = 0; i < ordered.size(); i++) {
                if (typeReader.types().isSubtype(
                        typeReader.types().erasure(m.param.asType()), typeReader.types().erasure(ordered.get(i).param.asType()))) {
                    at = i;
                    break;
                }
            }
            ordered.add(at, m);
        }
        return ordered;
    }

    /**
     * Warns, per sealed supertype of a handled type, about permitted subtypes that no method handles:
     * the aggregate would throw on them.
     */
    private void warnUncoveredSiblings(TypeElement owner, Iterable<Method> methods, Set<String> handled) {
        Set<String> warned = new LinkedHashSet<>();
        for (Method m : methods) {
            for (TypeElement sealedSuper : sealedSupertypes(m.param)) {
                List<TypeElement> siblings = new ArrayList<>();
                collectLeavesQuietly(sealedSuper, siblings, new LinkedHashSet<>());
                for (TypeElement sibling : siblings) {
                    String qn = sibling.getQualifiedName().toString();
                    if (!handled.contains(qn) && warned.add(sealedSuper.getQualifiedName() + "/" + qn)) {
                        reporter.report(Message.SEALED_NOT_COVERED, m.element, owner.getSimpleName(),
                                m.param.getSimpleName(), sibling.getSimpleName(), sealedSuper.getQualifiedName(),
                                sibling.getSimpleName(), sealedSuper.getSimpleName());
                    }
                }
            }
        }
    }

    private void collectLeavesQuietly(TypeElement type, List<TypeElement> leaves, Set<String> visited) {
        if (!visited.add(type.getQualifiedName().toString())) {
            return;
        }
        for (TypeMirror permitted : type.getPermittedSubclasses()) {
            if (permitted.getKind() != TypeKind.DECLARED) {
                continue;
            }
            TypeElement sub = (TypeElement) ((DeclaredType) permitted).asElement();
            if (sub.getModifiers().contains(Modifier.SEALED)) {
                collectLeavesQuietly(sub, leaves, visited);
            } else if (TypeReader.isValueCandidate(sub)) {
                leaves.add(sub);
            }
        }
    }

    /** The sealed types among the direct and indirect supertypes of {@code type}. */
    private List<TypeElement> sealedSupertypes(TypeElement type) {
        List<TypeElement> result = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<TypeMirror> pending = new ArrayList<>(typeReader.types().directSupertypes(type.asType()));
        while (!pending.isEmpty()) {
            TypeMirror t = pending.remove(0);
            if (t.getKind() != TypeKind.DECLARED) {
                continue;
            }
            TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
            if (seen.add(e.getQualifiedName().toString())) {
                if (e.getModifiers().contains(Modifier.SEALED)) {
                    result.add(e);
                }
                pending.addAll(typeReader.types().directSupertypes(t));
            }
        }
        return result;
    }

    /** {@code Order.on(OrderCreated)}, for messages. */
    static String describe(TypeElement owner, ExecutableElement m) {
        StringBuilder sb = new StringBuilder(owner.getSimpleName()).append('.').append(m.getSimpleName()).append('(');
        for (int i = 0; i < m.getParameters().size(); i++) {
            TypeMirror t = m.getParameters().get(i).asType();
            Element e = t.getKind() == TypeKind.DECLARED ? ((DeclaredType) t).asElement() : null;
            sb.append(i == 0 ? "" : ", ").append(e == null || e.getKind() == ElementKind.OTHER ? t : e.getSimpleName());
        }
        return sb.append(')').toString();
    }
}
