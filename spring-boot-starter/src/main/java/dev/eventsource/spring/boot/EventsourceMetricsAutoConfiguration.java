package dev.eventsource.spring.boot;

import dev.eventsource.Engine;
import dev.eventsource.micrometer.EventsourceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * The engine's Micrometer meters ({@code eventsource-micrometer}), when micrometer-core is on the
 * class path (the actuator brings it) and a {@code MeterRegistry} bean exists: an
 * {@link EventsourceMetrics} bean, added to the auto-configured engine as interceptor and observer by
 * an {@link EngineCustomizer}, and bound to the {@code Engine} bean for the projection gauges. Off
 * with {@code eventsource.metrics.enabled=false}. Every meter is listed in
 * {@code docs/observability.md}.
 *
 * <pre>
 * management.endpoints.web.exposure.include=health,prometheus
 * # eventsource_commands_seconds_count{aggregate="Order",duplicate="false",outcome="ok"} 42
 * </pre>
 */
@AutoConfiguration(after = EventsourceAutoConfiguration.class,
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "dev.eventsource.micrometer.EventsourceMetrics"})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "eventsource.metrics.enabled", matchIfMissing = true)
public class EventsourceMetricsAutoConfiguration {

    /** The order of {@link #eventsourceMetricsCustomizer}: inside tracing's, so its latency leaves tracing out. */
    public static final int CUSTOMIZER_ORDER = 100;

    /** The meters, in the application's registry. */
    @Bean
    @ConditionalOnMissingBean
    EventsourceMetrics eventsourceMetrics(MeterRegistry registry, EventsourceProperties properties) {
        return new EventsourceMetrics(registry, Tags.empty(), properties.getMetrics().getStatusInterval());
    }

    /** Adds the meters to the auto-configured engine's builder. */
    @Bean
    @Order(CUSTOMIZER_ORDER)
    EngineCustomizer eventsourceMetricsCustomizer(EventsourceMetrics metrics) {
        return builder -> builder.commandInterceptor(metrics).observer(metrics);
    }

    /** Binds the projection gauges to the {@code Engine} bean, the auto-configured one or yours. */
    @Bean
    @ConditionalOnBean(Engine.class)
    InitializingBean eventsourceMetricsBinding(EventsourceMetrics metrics, Engine engine) {
        return () -> metrics.bindTo(engine);
    }
}
