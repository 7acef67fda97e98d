package dev.eventsource.processor.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.ModuleElement.DirectiveKind;
import javax.lang.model.element.ModuleElement.ProvidesDirective;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Checks that a named module declares the descriptors generated for it. The engine finds generated
 * descriptors with {@link java.util.ServiceLoader}; on the class path the processor's
 * {@code META-INF/services} files are enough, but in a named module ServiceLoader reads only the
 * {@code provides} directives of {@code module-info.java}, and a missing one would surface only at
 * run time, as "no generated descriptor". So it is a compile error on the annotated type, with the
 * complete directive to write.
 *
 * <pre>{@code
 * services.expect(cartType, "dev.eventsource.spi.AggregateDescriptor", "shop.Cart_Aggregate");
 * // ... last round:
 * services.check();   // [MissingProvides] on Cart unless module shop provides it
 * }</pre>
 *
 * <p>Types are remembered by name and looked up again in the last round, when every descriptor of
 * the compilation is known (elements of earlier rounds no longer carry source positions).
 */
public final class ModuleServices {

    private record Expected(String type, String implementation) {
    }

    private final Elements elements;
    private final Reporter reporter;
    /** Module name -> service -> expected descriptors, sorted so reports come in a stable order. */
    private final Map<String, Map<String, List<Expected>>> expected = new TreeMap<>();

    public ModuleServices(Elements elements, Reporter reporter) {
        this.elements = elements;
        this.reporter = reporter;
    }

    /**
     * Records that {@code implementation} (canonical name), generated for {@code type}, must be
     * provided as {@code service}; nothing to check when the type is in the unnamed module.
     */
    public void expect(TypeElement type, String service, String implementation) {
        ModuleElement module = elements.getModuleOf(type);
        if (module == null || module.isUnnamed()) {
            return;
        }
        expected.computeIfAbsent(module.getQualifiedName().toString(), m -> new TreeMap<>())
                .computeIfAbsent(service, s -> new ArrayList<>())
                .add(new Expected(type.getQualifiedName().toString(), implementation));
    }

    /** Reports {@link Message#MISSING_PROVIDES} on every type whose descriptor its module does not provide. */
    public void check() {
        expected.forEach((moduleName, services) -> {
            ModuleElement module = elements.getModuleElement(moduleName);
            if (module == null) {
                return;
            }
            services.forEach((service, descriptors) -> {
                Set<String> provided = provided(module, service);
                Set<String> all = new TreeSet<>(provided);
                List<Expected> missing = new ArrayList<>();
                for (Expected e : descriptors) {
                    if (!provided.contains(e.implementation())) {
                        missing.add(e);
                        all.add(e.implementation());
                    }
                }
                String directive = "provides " + service + " with " + String.join(", ", all) + ";";
                for (Expected e : missing) {
                    TypeElement type = elements.getTypeElement(e.type());
                    if (type != null) {
                        reporter.report(Message.MISSING_PROVIDES, type, type.getSimpleName(), moduleName,
                                e.implementation(), directive);
                    }
                }
            });
        });
        expected.clear();
    }

    private static Set<String> provided(ModuleElement module, String service) {
        Set<String> names = new TreeSet<>();
        for (ModuleElement.Directive d : module.getDirectives()) {
            if (d.getKind() == DirectiveKind.PROVIDES) {
                ProvidesDirective provides = (ProvidesDirective) d;
                if (provides.getService().getQualifiedName().contentEquals(service)) {
                    for (TypeElement impl : provides.getImplementations()) {
                        names.add(impl.getQualifiedName().toString());
                    }
                }
            }
        }
        return names;
    }
}
