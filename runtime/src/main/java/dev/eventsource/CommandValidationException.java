package dev.eventsource;

/**
 * A command rejected by its {@link Command#validate} method. Nothing is appended and the command is
 * not retried.
 *
 * <pre>{@code
 * if (amount <= 0) throw new CommandValidationException("amount must be positive");
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
