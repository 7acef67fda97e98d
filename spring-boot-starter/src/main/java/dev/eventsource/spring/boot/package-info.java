/**
 * Spring Boot auto-configuration for eventsource-java: an {@code Engine} bean on the application's
 * {@code DataSource}, its aggregates and projection beans registered, its lifecycle tied to the
 * context's, a health indicator and an actuator endpoint. Configured with {@code eventsource.*}
 * properties ({@link dev.eventsource.spring.boot.EventsourceProperties}); see
 * {@code docs/spring-boot.md}.
 */
package dev.eventsource.spring.boot;
