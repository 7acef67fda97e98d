package dev.eventsource.spring.boot.internal;

import dev.eventsource.Projection;
import dev.eventsource.TransactionalProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Finds the projection beans: every bean, once initialized, that is a {@link Projection}, a
 * {@link TransactionalProjection} or an instance of a {@code @Projection} class (one with a
 * generated descriptor). Beans found before {@link #drainTo} are kept until then; later ones (lazy
 * beans) go to the registrar at once.
 *
 * <pre>{@code
 * projectionBeans.drainTo((found, late) -> engine.registerProjection(found.bean()));
 * }</pre>
 *
 * <p>Thread-safe: beans are post-processed on whichever thread creates them; the list and the
 * registrar are guarded by {@code this}.
 */
public final class ProjectionBeans implements BeanPostProcessor {

    /** A projection bean with its projection name. */
    public record Found(String beanName, String projectionName, Object bean) {
    }

    private final GeneratedDescriptors descriptors;
    private final List<Found> pending = new ArrayList<>();
    private BiConsumer<Found, Boolean> registrar;

    public ProjectionBeans(GeneratedDescriptors descriptors) {
        this.descriptors = descriptors;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        String name = nameOf(bean);
        if (name == null) {
            return bean;
        }
        Found found = new Found(beanName, name, bean);
        BiConsumer<Found, Boolean> now;
        synchronized (this) {
            now = registrar;
            if (now == null) {
                pending.add(found);
            }
        }
        if (now != null) {
            now.accept(found, true);
        }
        return bean;
    }

    /**
     * Hands every projection bean found so far to {@code registrar} (with {@code false}: not late),
     * and every one found from now on (with {@code true}).
     */
    public void drainTo(BiConsumer<Found, Boolean> registrar) {
        List<Found> found;
        synchronized (this) {
            this.registrar = registrar;
            found = List.copyOf(pending);
            pending.clear();
        }
        found.forEach(f -> registrar.accept(f, false));
    }

    private String nameOf(Object bean) {
        if (bean instanceof TransactionalProjection<?> tx) {
            return tx.name();
        }
        if (bean instanceof Projection plain) {
            return plain.name();
        }
        return descriptors.projectionName(bean.getClass());
    }
}
