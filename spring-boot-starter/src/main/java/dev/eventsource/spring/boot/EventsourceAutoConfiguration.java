package dev.eventsource.spring.boot;

import dev.eventsource.Engine;
import dev.eventsource.spring.boot.EventsourceProperties.StoreType;
import dev.eventsource.spring.boot.internal.EngineLifecycle;
import dev.eventsource.spring.boot.internal.GeneratedDescriptors;
import dev.eventsource.spring.boot.internal.ProjectionBeans;
import dev.eventsource.spring.boot.internal.Settings;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Auto-configures an event-sourcing {@link Engine}: a {@code PostgresStore} on the application's
 * {@code DataSource} (or an {@code InMemoryStore} without one, or as {@code eventsource.store}
 * says), every aggregate the annotation processor generated a descriptor for, every projection
 * bean, started after the context is ready and closed gracefully on shutdown. Each bean is
 * {@code @ConditionalOnMissingBean}: declare your own {@code EventStore} or {@code Engine} to
 * replace it.
 *
 * <pre>{@code
 * import org.springframework.stereotype.Component;
 *
 * @Component
 * @Projection
 * public class OrderTotals {                       // registered as an asynchronous projection
 *     final DoubleAdder total = new DoubleAdder();
 *     @Apply void on(OrderCreated e) { total.add(e.amount()); }
 * }
 * }</pre>
 *
 * <p>See {@code docs/spring-boot.md} for every property.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(EventsourceProperties.class)
public class EventsourceAutoConfiguration {

    /**
     * The generated descriptors on the class path (static and infrastructure: the projection finder,
     * a bean post-processor, needs it before other beans exist).
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static GeneratedDescriptors eventsourceDescriptors() {
        return GeneratedDescriptors.load();
    }

    /** Collects projection beans as they are created, for the lifecycle to register. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ProjectionBeans eventsourceProjectionBeans(GeneratedDescriptors eventsourceDescriptors) {
        return new ProjectionBeans(eventsourceDescriptors);
    }

    /**
     * The store: a {@code PostgresStore} on the {@code DataSource} bean with {@code eventsource.postgres.*}
     * options, or an {@code InMemoryStore}, as {@code eventsource.store} chooses. Closed on shutdown
     * (after the engine); the {@code DataSource} stays the application's.
     */
    @Bean
    @ConditionalOnMissingBean
    EventStore eventsourceStore(EventsourceProperties properties, ObjectProvider<DataSource> dataSource) {
        StoreType type = properties.getStore();
        DataSource ds = type == StoreType.MEMORY ? null : dataSource.getIfUnique();
        if (type == StoreType.POSTGRES && ds == null) {
            throw new IllegalStateException("eventsource.store=postgres needs exactly one DataSource bean, found "
                    + dataSource.stream().count() + "; configure spring.datasource.url (with spring-boot-starter-jdbc), or"
                    + " set eventsource.store=memory");
        }
        return ds != null ? Settings.postgres(ds, properties.getPostgres()) : new InMemoryStore();
    }

    /**
     * The engine on the store, with the {@code eventsource.*} settings, then every
     * {@link EngineCustomizer} bean in order, and every generated aggregate registered (unless
     * {@code eventsource.register-aggregates=false}).
     */
    @Bean
    @ConditionalOnMissingBean
    Engine eventsourceEngine(EventsourceProperties properties, EventStore store, GeneratedDescriptors descriptors,
            ObjectProvider<EngineCustomizer> customizers) {
        Engine.Builder builder = Settings.engine(properties, store);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        Engine engine = builder.build();
        if (properties.isRegisterAggregates()) {
            EngineLifecycle.registerAggregates(engine, descriptors);
        }
        return engine;
    }

    /** Registers the projection beans, starts the engine with the context and closes it on shutdown. */
    @Bean
    @ConditionalOnBean(Engine.class)
    @ConditionalOnMissingBean
    EngineLifecycle eventsourceLifecycle(Engine engine, EventsourceProperties properties, GeneratedDescriptors descriptors,
            ProjectionBeans projections) {
        return new EngineLifecycle(engine, properties, descriptors, projections);
    }
}
