package dev.eventsource.spring.boot.internal;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Engine;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.ProjectionDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The descriptors the annotation processor generated, found with {@link ServiceLoader} through the
 * class loader of {@link Engine} (the one the engine looks its descriptors up with), the way the
 * runtime finds them: the aggregates to register, and which beans are {@code @Projection} classes.
 *
 * <pre>{@code
 * GeneratedDescriptors descriptors = GeneratedDescriptors.load();
 * descriptors.aggregates().forEach(engine::registerAggregate);
 * descriptors.projectionName(OrderSummary.class);   // "OrderSummary"; null for a class without a descriptor
 * }</pre>
 *
 * <p>Immutable once built; thread-safe.
 */
public final class GeneratedDescriptors {

    private final List<Class<? extends AggregateRoot>> aggregates;
    private final Map<Class<?>, String> projections;

    private GeneratedDescriptors(List<Class<? extends AggregateRoot>> aggregates, Map<Class<?>, String> projections) {
        this.aggregates = List.copyOf(aggregates);
        this.projections = Map.copyOf(projections);
    }

    /** Reads the {@code META-INF/services} registrations visible to the engine's class loader. */
    public static GeneratedDescriptors load() {
        ClassLoader loader = Engine.class.getClassLoader();
        List<Class<? extends AggregateRoot>> aggregates = new ArrayList<>();
        for (AggregateDescriptor<?> d : ServiceLoader.load(AggregateDescriptor.class, loader)) {
            if (!aggregates.contains(d.type())) {
                aggregates.add(d.type());
            }
        }
        aggregates.sort(Comparator.comparing(Class::getName));
        Map<Class<?>, String> projections = new HashMap<>();
        for (ProjectionDescriptor<?> d : ServiceLoader.load(ProjectionDescriptor.class, loader)) {
            projections.putIfAbsent(d.type(), d.name());
        }
        return new GeneratedDescriptors(aggregates, projections);
    }

    /** Every {@code @Aggregate} class with a generated descriptor, sorted by name. */
    public List<Class<? extends AggregateRoot>> aggregates() {
        return aggregates;
    }

    /**
     * The projection name of a {@code @Projection} class, or of its nearest annotated superclass (a
     * Spring subclass proxy, say), as the engine resolves it; {@code null} if it has none.
     */
    public String projectionName(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            String name = projections.get(c);
            if (name != null) {
                return name;
            }
        }
        return null;
    }
}
