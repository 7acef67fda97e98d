package dev.eventsource.spring.boot;

import dev.eventsource.Engine;
import dev.eventsource.spring.boot.internal.EventsourceHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code eventsource} health indicator, when Spring Boot's health support
 * ({@code spring-boot-health}, part of the actuator) is on the class path: DOWN when the store does
 * not answer or a projection partition stopped, OUT_OF_SERVICE when one lags beyond
 * {@code eventsource.health.max-lag}. Turn it off with {@code management.health.eventsource.enabled=false}.
 *
 * <pre>
 * eventsource.health.max-lag=10000
 * eventsource.health.lag-status=OUT_OF_SERVICE
 * management.endpoint.health.group.readiness.include=readinessState,eventsource
 * </pre>
 */
@AutoConfiguration(after = EventsourceAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Engine.class)
@ConditionalOnEnabledHealthIndicator("eventsource")
public class EventsourceHealthAutoConfiguration {

    /** The indicator, named {@code eventsource} in {@code /actuator/health}. */
    @Bean
    @ConditionalOnMissingBean(name = "eventsourceHealthIndicator")
    HealthIndicator eventsourceHealthIndicator(Engine engine, EventsourceProperties properties) {
        return new EventsourceHealthIndicator(engine, properties.getHealth());
    }
}
