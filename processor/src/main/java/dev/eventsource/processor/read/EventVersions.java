package dev.eventsource.processor.read;

import dev.eventsource.processor.model.ClassRef;
import dev.eventsource.processor.model.UpcastChain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * The versions of every event name in the compilation and the {@code @Upcast} methods between them.
 * Several classes may share one stable name with different {@code @EventType(version)}s: the highest
 * is the current version, the others are legacy classes that are only read. Each legacy version N
 * needs exactly one upcaster to N+1; from those this reads the {@link UpcastChain} the current
 * version's codec runs for older stored events, and reports every broken chain on the element at
 * fault.
 *
 * <p>Fed once per round, before the round's types are read, with the round's {@code @EventType}
 * types and {@code @Upcast} methods; what it learned stays for later rounds.
 */
public final class EventVersions {

    /** A checked {@code @Upcast} method: from one (name, version) to the next. */
    private record Upcaster(ExecutableElement method, ClassRef owner, TypeElement from, TypeElement to) {
    }

    private final Reporter reporter;
    private final Elements elements;
    /** Class per version, by stable name: qualified names, so elements of earlier rounds are not kept. */
    private final Map<String, TreeMap<Integer, String>> versions = new HashMap<>();
    /** The upcaster of each (name, version), keyed {@code name@version}. */
    private final Map<String, Upcaster> upcasters = new HashMap<>();
    /** Chains by the current version's qualified name. */
    private final Map<String, UpcastChain> chains = new HashMap<>();

    public EventVersions(Reporter reporter, Elements elements) {
        this.reporter = reporter;
        this.elements = elements;
    }

    /**
     * Learns one round's event types and upcasters, checks every name they touch, and records the
     * chains of the names whose versions are all connected.
     *
     * @param eventTypes the round's {@code @EventType} elements
     * @param upcastMethods the round's {@code @Upcast} elements
     */
    public void add(Collection<? extends Element> eventTypes, Collection<? extends Element> upcastMethods) {
        Set<String> touched = new LinkedHashSet<>();
        for (Element e : eventTypes) {
            if (e instanceof TypeElement t && TypeReader.isValueCandidate(t)) {
                touched.add(learn(t));
            }
        }
        for (Element e : upcastMethods) {
            Upcaster up = upcaster(e);
            if (up != null) {
                touched.add(learn(up.from));
                learn(up.to);
                Upcaster first = upcasters.putIfAbsent(key(up.from), up);
                if (first != null) {
                    reporter.report(Message.UPCAST_DUPLICATE, up.method, describe(up.method),
                            TypeReader.version(up.from), TypeReader.stableName(up.from), describe(first.method));
                }
            }
        }
        for (String name : touched) {
            check(name);
        }
    }

    /** The chain the codec of {@code current} runs for older stored versions, or {@code null} if none. */
    public UpcastChain chain(ClassRef current) {
        return chains.get(current.canonicalName());
    }

    /**
     * The current class of {@code type}'s stable name when {@code type} is a legacy version (one with a
     * higher version exists), else {@code null}.
     */
    String currentIfLegacy(TypeElement type) {
        if (Annotations.find(type, Annotations.EVENT_TYPE) == null) {
            return null;        // not a version of anything: EventNames reports a class sharing its name
        }
        TreeMap<Integer, String> byVersion = versions.get(TypeReader.stableName(type));
        if (byVersion == null || byVersion.lastKey() <= TypeReader.version(type)) {
            return null;
        }
        return byVersion.lastEntry().getValue();
    }

    /** The highest version of {@code type}'s stable name seen so far. */
    int currentVersion(TypeElement type) {
        TreeMap<Integer, String> byVersion = versions.get(TypeReader.stableName(type));
        return byVersion == null ? TypeReader.version(type) : byVersion.lastKey();
    }

    private String learn(TypeElement type) {
        String name = TypeReader.stableName(type);
        versions.computeIfAbsent(name, n -> new TreeMap<>())
                .putIfAbsent(TypeReader.version(type), type.getQualifiedName().toString());
        return name;
    }

    private static String key(TypeElement type) {
        return TypeReader.stableName(type) + '@' + TypeReader.version(type);
    }

    /** Checks one method's shape; {@code null} when it cannot be used (errors reported on it). */
    private Upcaster upcaster(Element element) {
        if (!(element instanceof ExecutableElement method)) {
            return null;
        }
        if (method.getParameters().size() == 1 && (unresolved(method.getParameters().get(0).asType())
                || unresolved(method.getReturnType()))) {
            // javac itself reports a type that never appears ("cannot find symbol") on this method.
            return null;
        }
        String problem = null;
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            problem = "is not static";
        } else if (method.getModifiers().contains(Modifier.PRIVATE)) {
            problem = "is private";
        } else if (method.getParameters().size() != 1) {
            problem = "takes " + method.getParameters().size() + " parameters";
        }
        TypeElement from = problem == null ? valueType(method.getParameters().get(0).asType()) : null;
        TypeElement to = problem == null ? valueType(method.getReturnType()) : null;
        if (problem == null && from == null) {
            problem = "takes " + method.getParameters().get(0).asType() + ", which is not an event record";
        } else if (problem == null && to == null) {
            problem = "returns " + method.getReturnType() + ", which is not an event record";
        }
        if (problem != null) {
            reporter.report(Message.UPCAST_SIGNATURE, method, describe(method), problem);
            return null;
        }
        String fromName = TypeReader.stableName(from);
        String toName = TypeReader.stableName(to);
        if (!fromName.equals(toName)) {
            reporter.report(Message.UPCAST_ACROSS_NAMES, method, describe(method), fromName, from.getQualifiedName(),
                    toName, to.getQualifiedName(), fromName);
            return null;
        }
        int fromVersion = TypeReader.version(from);
        int toVersion = TypeReader.version(to);
        if (toVersion != fromVersion + 1) {
            String hint = toVersion <= fromVersion
                    ? "; if " + to.getSimpleName() + " is the newer class, give it @EventType(name = \"" + toName
                            + "\", version = " + (fromVersion + 1) + ")"
                    : "";
            reporter.report(Message.UPCAST_NOT_CONSECUTIVE, method, describe(method), fromVersion, fromName, toVersion,
                    fromVersion + 1, hint);
            return null;
        }
        return new Upcaster(method, TypeReader.classRef((TypeElement) method.getEnclosingElement()), from, to);
    }

    private static boolean unresolved(TypeMirror mirror) {
        return mirror.getKind() == TypeKind.ERROR;
    }

    /** The record (or value class) a parameter or return type names, or {@code null}. */
    private static TypeElement valueType(TypeMirror mirror) {
        if (mirror.getKind() != TypeKind.DECLARED) {
            return null;
        }
        TypeElement type = (TypeElement) ((DeclaredType) mirror).asElement();
        boolean jdk = type.getQualifiedName().toString().startsWith("java.");
        return TypeReader.isValueCandidate(type) && !jdk ? type : null;
    }

    /**
     * Checks the versions of one name: every legacy version has an upcaster, and every class the
     * chain uses is reachable from the current version's package. Records the chain when all holds.
     */
    private void check(String name) {
        TreeMap<Integer, String> byVersion = versions.get(name);
        if (byVersion.size() == 1) {
            return;
        }
        int current = byVersion.lastKey();
        String currentName = byVersion.lastEntry().getValue();
        ClassRef currentRef = TypeReader.classRef(elements.getTypeElement(currentName));
        String currentPackage = currentRef.packageName();
        List<UpcastChain.Step> steps = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<Integer, String> entry : byVersion.headMap(current).entrySet()) {
            int version = entry.getKey();
            Upcaster up = upcasters.get(name + '@' + version);
            TypeElement legacy = elements.getTypeElement(entry.getValue());
            if (up == null) {
                if (legacy != null) {
                    String next = byVersion.get(version + 1);
                    String gap = next == null ? "; no class of \"" + name + "\" has version " + (version + 1)
                            + " (versions here: " + byVersion.keySet() + ")" : "";
                    reporter.report(Message.UPCAST_MISSING, legacy, legacy.getQualifiedName(), version, name, current,
                            currentName, version + 1, version, legacy.getSimpleName(),
                            next == null ? "<version " + (version + 1) + " record>" : simpleName(next),
                            legacy.getSimpleName(), gap);
                }
                ok = false;
                continue;
            }
            ok &= accessible(up.from, currentRef, currentPackage) & accessible(up.method, currentRef, currentPackage);
            ClassRef legacyRef = TypeReader.classRef(up.from);
            steps.add(new UpcastChain.Step(version, legacyRef, TypeReader.codecName(legacyRef), up.owner,
                    up.method.getSimpleName().toString()));
        }
        if (ok && !steps.isEmpty()) {
            chains.put(currentName, new UpcastChain(steps));
        } else {
            chains.remove(currentName);
        }
    }

    /** Reports {@link Message#UPCAST_ACCESS} unless {@code element} can be used from {@code pkg}. */
    private boolean accessible(Element element, ClassRef current, String pkg) {
        for (Element e = element; e != null && !(e instanceof PackageElement); e = e.getEnclosingElement()) {
            boolean samePackage = elements.getPackageOf(e).getQualifiedName().contentEquals(pkg);
            boolean visible = e.getModifiers().contains(Modifier.PUBLIC)
                    || samePackage && !e.getModifiers().contains(Modifier.PRIVATE);
            if (!visible) {
                String what = e instanceof ExecutableElement m ? "@Upcast method " + describe(m)
                        : ((TypeElement) e).getQualifiedName().toString();
                reporter.report(Message.UPCAST_ACCESS, element, what, current.canonicalName(), pkg, pkg);
                return false;
            }
        }
        return true;
    }


    private static String simpleName(String qualifiedName) {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }

    private static String describe(ExecutableElement method) {
        return method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName() + "(...)";
    }
}
