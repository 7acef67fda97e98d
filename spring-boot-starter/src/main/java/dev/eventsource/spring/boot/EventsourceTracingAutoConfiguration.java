package dev.eventsource.spring.boot;

import dev.eventsource.opentelemetry.EventsourceTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * OpenTelemetry tracing of the engine ({@code eventsource-opentelemetry}), when opentelemetry-api is
 * on the class path and an {@code OpenTelemetry} bean exists (Spring Boot's
 * {@code spring-boot-starter-opentelemetry} makes one): an {@link EventsourceTracing} bean, added to
 * the auto-configured engine as interceptor and observer by an {@link EngineCustomizer}. Off with
 * {@code eventsource.tracing.enabled=false}. The spans are listed in {@code docs/observability.md}.
 *
 * <pre>
 * eventsource.tracing.enabled=true
 * </pre>
 */
@AutoConfiguration(after = EventsourceAutoConfiguration.class,
        afterName = "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnClass(name = {"io.opentelemetry.api.OpenTelemetry", "dev.eventsource.opentelemetry.EventsourceTracing"})
@ConditionalOnBean(OpenTelemetry.class)
@ConditionalOnBooleanProperty(name = "eventsource.tracing.enabled", matchIfMissing = true)
public class EventsourceTracingAutoConfiguration {

    /** The order of {@link #eventsourceTracingCustomizer}: outermost, so a command's span covers the whole chain. */
    public static final int CUSTOMIZER_ORDER = 0;

    /** The tracing interceptor and observer, on the application's {@code OpenTelemetry}. */
    @Bean
    @ConditionalOnMissingBean
    EventsourceTracing eventsourceTracing(OpenTelemetry openTelemetry) {
        return new EventsourceTracing(openTelemetry);
    }

    /** Adds the tracing to the auto-configured engine's builder. */
    @Bean
    @Order(CUSTOMIZER_ORDER)
    EngineCustomizer eventsourceTracingCustomizer(EventsourceTracing tracing) {
        return builder -> builder.commandInterceptor(tracing).observer(tracing);
    }
}
