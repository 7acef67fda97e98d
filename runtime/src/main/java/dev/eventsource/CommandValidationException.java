package dev.eventsource;

/**
 * A command rejected by its {@link Command#validate} method. Nothing is appended and the command is
 * not retried.
 *
 * <pre>{@code
 * try {
 *     engine.execute(Order.class, "order_1", new CreateOrder("order_1", "c_1", -5));
 * } catch (CommandValidationException e) {
 *     log.info("rejected: {}", e.getMessage());   // "amount must be positive", from CreateOrder.validate
 * }
 * }</pre>
 */
public class CommandValidationException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    /** A rejection with a message the caller can show to the user. */
    public CommandValidationException(String message) {
        super(message);
    }

    /** As {@link #CommandValidationException(String)}, with the underlying cause. */
    public CommandValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
