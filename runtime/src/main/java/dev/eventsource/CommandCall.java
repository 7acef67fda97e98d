package dev.eventsource;

/**
 * One command call as a {@link CommandInterceptor} sees it: what is executed on which aggregate, and
 * the rest of the chain ({@link #proceed()}). The result lists the events the command appended
 * whichever of {@code execute} or {@code executeResult} was called.
 *
 * <pre>{@code
 * public class Traceparent implements CommandInterceptor {
 *     @Override
 *     public <A extends AggregateRoot> CommandResult<A> intercept(CommandCall<A> call) {
 *         CommandContext traced = call.context().withHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
 *         return call.proceed(traced);
 *     }
 * }
 * }</pre>
 *
 * @param <A> the aggregate type
 */
public interface CommandCall<A extends AggregateRoot> {

    /** The aggregate class the command runs on. */
    Class<A> aggregateType();

    /** The aggregate's stream type name ({@code @Aggregate(name)}, else the simple class name). */
    String streamType();

    /** The aggregate id. */
    String aggregateId();

    /** The command. */
    Command<A> command();

    /** The command's context as the caller (or an outer interceptor) gave it. */
    CommandContext context();

    /** Runs the rest of the chain, and then the command, with {@link #context()}. */
    CommandResult<A> proceed();

    /**
     * Runs the rest of the chain, and then the command, with {@code context} instead: its headers
     * are checked as the caller's are.
     */
    CommandResult<A> proceed(CommandContext context);
}
