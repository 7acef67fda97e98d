/**
 * The engine ({@code dev.eventsource}), the store SPI and the in-memory store
 * ({@code dev.eventsource.store}), and the contracts generated code implements
 * ({@code dev.eventsource.spi}). {@code dev.eventsource.internal} is not exported.
 *
 * <p>A user module {@code requires dev.eventsource} and declares, for the descriptors the annotation
 * processor generates, {@code provides dev.eventsource.spi.AggregateDescriptor with ...} (the
 * processor says exactly which line is missing).
 */
module dev.eventsource {
    // Domain classes carry the annotations, so a module that reads the engine reads them too.
    requires transitive dev.eventsource.annotations;
    // Generated codecs implement EventCodec, whose methods take Jackson's streaming types.
    requires transitive com.fasterxml.jackson.core;
    // Generated code is marked @javax.annotation.processing.Generated (source retention): needed
    // when a user module compiles, never at run time.
    requires static transitive java.compiler;
    requires org.slf4j;

    exports dev.eventsource;
    exports dev.eventsource.spi;
    exports dev.eventsource.store;

    // Generated descriptors, found with ServiceLoader.
    uses dev.eventsource.spi.AggregateDescriptor;
    uses dev.eventsource.spi.ProjectionDescriptor;
}
