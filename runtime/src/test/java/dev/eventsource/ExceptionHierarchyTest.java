package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.spi.CodecException;
import dev.eventsource.spi.UnknownEventException;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.StoreUnavailableException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every exception type the library throws on purpose extends {@link EventSourceException}, so one catch covers them. */
class ExceptionHierarchyTest {

    @Test
    void everyLibraryExceptionIsAnEventSourceException() {
        List<Class<? extends Throwable>> thrown = List.of(CommandValidationException.class, ConcurrencyException.class,
                EventDecodingException.class, CodecException.class, UnknownEventException.class, StoreException.class,
                StoreUnavailableException.class, LeaseLostException.class);
        assertThat(thrown).allSatisfy(type -> assertThat(EventSourceException.class).isAssignableFrom(type));
    }
}
