package dev.eventsource.internal;

import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.ProjectionDescriptor;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The generated descriptors on the class path, read once with {@link ServiceLoader} (from the
 * {@code META-INF/services} files the annotation processor writes) and looked up by class.
 *
 * <p>Thread-safe: the maps are built once per class loader of this class and never change.
 *
 * <pre>{@code
 * AggregateDescriptor<?> order = Descriptors.aggregate(Order.class);   // Order_Aggregate
 * }</pre>
 */
public final class Descriptors {

    private static final class Holder {
        static final Map<Class<?>, AggregateDescriptor<?>> AGGREGATES = new HashMap<>();
        static final Map<Class<?>, ProjectionDescriptor<?>> PROJECTIONS = new HashMap<>();

        static {
            ClassLoader loader = Descriptors.class.getClassLoader();
            for (AggregateDescriptor<?> d : ServiceLoader.load(AggregateDescriptor.class, loader)) {
                AGGREGATES.putIfAbsent(d.type(), d);
            }
            for (ProjectionDescriptor<?> d : ServiceLoader.load(ProjectionDescriptor.class, loader)) {
                PROJECTIONS.putIfAbsent(d.type(), d);
            }
        }
    }

    private Descriptors() {
    }

    /**
     * The generated descriptor of an {@code @Aggregate} class.
     *
     * @throws IllegalArgumentException if none was generated (the class is not annotated, or the
     *     annotation processor did not run)
     */
    public static AggregateDescriptor<?> aggregate(Class<?> type) {
        AggregateDescriptor<?> d = Holder.AGGREGATES.get(type);
        if (d == null) {
            throw new IllegalArgumentException("no generated descriptor for aggregate " + type.getName()
                    + ": annotate it with @Aggregate and make sure the eventsource-processor annotation"
                    + " processor runs (see README: 'Adding the processor to your build'); in a named module,"
                    + " module-info.java must also declare provides dev.eventsource.spi.AggregateDescriptor with "
                    + type.getName() + "_Aggregate");
        }
        return d;
    }

    /**
     * The generated descriptor of a {@code @Projection} class, or of its nearest annotated
     * superclass (so an instance of an unannotated subclass, anonymous ones included, is handled by
     * the superclass's {@code @Apply} methods); {@code null} if there is none.
     */
    public static ProjectionDescriptor<?> projectionOrNull(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            ProjectionDescriptor<?> d = Holder.PROJECTIONS.get(c);
            if (d != null) {
                return d;
            }
        }
        return null;
    }
}
