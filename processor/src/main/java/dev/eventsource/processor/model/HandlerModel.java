package dev.eventsource.processor.model;

/**
 * One branch of a generated dispatcher: events that are instances of {@code type} go to
 * {@code method}.
 *
 * @param type the {@code @Apply} parameter type: an event type or a sealed interface
 * @param method the {@code @Apply} method's name
 * @param takesEnvelope whether the method takes a second {@code EventEnvelope} parameter
 */
public record HandlerModel(ClassRef type, String method, boolean takesEnvelope) {
}
