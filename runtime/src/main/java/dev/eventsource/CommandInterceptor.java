package dev.eventsource;

/**
 * Runs around every command an {@link Engine} executes ({@code execute} and {@code executeResult}),
 * for what cuts across commands: metrics, tracing, audit, test recording. An interceptor sees the
 * aggregate, the command and its context, calls {@link CommandCall#proceed()} (or
 * {@link CommandCall#proceed(CommandContext)} with a changed context, such as one more header) and
 * returns what it returns, or throws. Interceptors run on the caller's thread, in the order they were
 * added to the builder, the first outermost. An engine without interceptors pays nothing for them.
 *
 * <pre>{@code
 * CommandInterceptor timing = new CommandInterceptor() {
 *     @Override
 *     public <A extends AggregateRoot> CommandResult<A> intercept(CommandCall<A> call) {
 *         long start = System.nanoTime();
 *         try {
 *             return call.proceed();
 *         } finally {
 *             System.out.println(call.streamType() + " " + (System.nanoTime() - start) + " ns");
 *         }
 *     }
 * };
 * Engine engine = Engine.builder().commandInterceptor(timing).build();
 * }</pre>
 */
public interface CommandInterceptor {

    /**
     * Handles one command call; returns the result of {@code call.proceed(...)}, called exactly once,
     * or throws. An exception from {@code proceed} is the command's failure: rethrow it (wrapping
     * changes what callers catch).
     */
    <A extends AggregateRoot> CommandResult<A> intercept(CommandCall<A> call);
}
