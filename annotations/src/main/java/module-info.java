/**
 * The annotations users put on their domain classes ({@code @Aggregate}, {@code @Apply},
 * {@code @Projection}, {@code @EventType}); read by the annotation processor, not needed at run time.
 */
module dev.eventsource.annotations {
    exports dev.eventsource.annotations;
}
