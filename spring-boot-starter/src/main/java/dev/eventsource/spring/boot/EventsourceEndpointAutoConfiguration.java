package dev.eventsource.spring.boot;

import dev.eventsource.Engine;
import dev.eventsource.spring.boot.internal.EventsourceEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code eventsource} actuator endpoint, when the actuator is on the class path and the endpoint
 * is exposed: the instance id, the store's head position and every projection's partitions across
 * the cluster ({@code Engine.projectionStatus()}).
 *
 * <pre>
 * management.endpoints.web.exposure.include=health,eventsource
 * # GET /actuator/eventsource, /actuator/eventsource/{projection}
 * </pre>
 */
@AutoConfiguration(after = EventsourceAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Engine.class)
@ConditionalOnAvailableEndpoint(EventsourceEndpoint.class)
public class EventsourceEndpointAutoConfiguration {

    /** The endpoint bean. */
    @Bean
    @ConditionalOnMissingBean
    EventsourceEndpoint eventsourceEndpoint(Engine engine) {
        return new EventsourceEndpoint(engine);
    }
}
