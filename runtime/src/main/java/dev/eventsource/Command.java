package dev.eventsource;

/**
 * An intention to change one aggregate. {@link Engine#execute} loads the aggregate, calls
 * {@link #validate} and then {@link #perform}, and appends the events {@code perform} recorded,
 * all or nothing, with optimistic concurrency. On a version conflict the engine reloads the
 * aggregate and runs the command again, so both methods must only read the aggregate and record
 * events: no side effects outside it.
 *
 * <pre>{@code
 * public record CreateOrder(String id, String customerId, double amount) implements Command<Order> {
 *     @Override public void validate(Order order) {
 *         if (amount <= 0) throw new CommandValidationException("amount must be positive");
 *     }
 *     @Override public void perform(Order order) {
 *         order.record(new OrderCreated(id, customerId, amount));
 *     }
 * }
 * }</pre>
 *
 * @param <A> the aggregate type the command acts on
 */
public interface Command<A extends AggregateRoot> {

    /**
     * Checks the command against the aggregate's current state; throw
     * {@link CommandValidationException} to reject it. Runs before {@link #perform}. Does nothing by
     * default.
     */
    default void validate(A aggregate) {
    }

    /** Records the command's events on the aggregate with {@link AggregateRoot#record(Object)}. */
    void perform(A aggregate);

    /**
     * {@link #validate(AggregateRoot)} with the command's context, for rules that depend on who asks
     * (authorization by user or tenant); calls the one-argument form by default. This is the form the
     * engine calls.
     *
     * <pre>{@code
     * public record CancelOrder(String id) implements Command<Order> {
     *     @Override public void validate(Order order, CommandContext context) {
     *         if (!"admin".equals(context.userId())) throw new CommandValidationException("only admins may cancel");
     *     }
     *     @Override public void perform(Order order) {
     *         order.record(new OrderStatusChanged(id, "cancelled"));
     *     }
     * }
     * }</pre>
     */
    default void validate(A aggregate, CommandContext context) {
        validate(aggregate);
    }

    /**
     * {@link #perform(AggregateRoot)} with the command's context; calls the one-argument form by
     * default. This is the form the engine calls. A command that needs the context overrides this one
     * (its one-argument form is then never called by the engine).
     */
    default void perform(A aggregate, CommandContext context) {
        perform(aggregate);
    }

    /**
     * Called once when the command finally fails: rejected by {@code validate}, thrown by
     * {@code perform}, or its append failed (after the conflict retries, or with a store error).
     * Never on success, never per retry, and not when the command never ran (its aggregate could
     * not be loaded). Undo here what the command did outside the aggregate
     * (a reservation in another system, say). Does nothing by default. An exception it throws is
     * added to {@code cause} as suppressed; the caller gets {@code cause}.
     *
     * @param aggregate the instance the last attempt ran on; its recorded events were not stored
     * @param cause what made the command fail, as thrown to the caller
     */
    default void rollback(A aggregate, Exception cause) {
    }
}
