package dev.eventsource.spring.boot;

import dev.eventsource.Engine;

/**
 * Changes the builder of the auto-configured {@link Engine} before it is built: every bean of this
 * type is applied, in {@code @Order} order, after the {@code eventsource.*} properties. The metrics and
 * tracing auto-configurations add their interceptor and observer this way; an application adds
 * settings that have no property (a {@code Clock}, {@code Limits}, an interceptor of its own). An
 * {@code Engine} bean of your own gets them only if you apply them (see {@code docs/spring-boot.md}).
 *
 * <pre>{@code
 * import org.springframework.context.annotation.Bean;
 * import org.springframework.context.annotation.Configuration;
 *
 * @Configuration
 * class EngineSettings {
 *     @Bean
 *     EngineCustomizer largerEvents() {
 *         return builder -> builder.limits(Limits.defaults().maxEventBytes(256 * 1024));
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface EngineCustomizer {

    /** Changes {@code builder}; called once, on the thread that creates the engine bean. */
    void customize(Engine.Builder builder);
}
