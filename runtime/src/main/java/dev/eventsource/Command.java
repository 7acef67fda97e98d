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
}
