package dev.eventsource.tests.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eventsource.Engine;
import dev.eventsource.EventDecodingException;
import dev.eventsource.Limits;
import dev.eventsource.spi.CodecException;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stored payloads the generated codecs refuse, read the way the engine reads them (UTF-8 bytes from
 * the store): the error names the property at fault.
 */
class StoredPayloadTest {

    private final InMemoryStore store = new InMemoryStore();
    private final Engine engine = new Engine(store);

    StoredPayloadTest() {
        engine.registerAggregate(BankAccount.class);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /** Stores {@code payload} as the first event of account {@code id}, a deposit, and loads the account. */
    private CodecException loadFailure(String id, String payload) {
        store.append("bank-account", id, 0, List.of(new NewEvent(UUID.randomUUID(), "bank.Deposited", 1, Instant.EPOCH,
                payload.getBytes(StandardCharsets.UTF_8), Map.of())));
        EventDecodingException e = catchThrowableOfType(EventDecodingException.class, () -> engine.load(BankAccount.class, id));
        assertThat(e).as(payload).isNotNull();
        assertThat(e.streamId()).isEqualTo(id);
        assertThat(e.getCause()).isInstanceOf(CodecException.class);
        return (CodecException) e.getCause();
    }

    @Test
    void a_value_that_fails_inside_nextFieldName_is_blamed_on_its_own_property() {
        // Jackson's byte parser reads the literal and the number after a name while returning the name.
        CodecException e = loadFailure("acc-1", "{\"cents\":100,\"accountId\":tru}");
        assertThat(e.typeName()).isEqualTo("bank.Deposited");
        assertThat(e.field()).isEqualTo("accountId");
        // A number longer than any engine writes (Limits.MAX_NUMBER_LENGTH): the reader's length limit
        // fires inside nextFieldName().
        e = loadFailure("acc-2", "{\"accountId\":\"acc-2\",\"cents\":1" + "0".repeat(Limits.MAX_NUMBER_LENGTH) + "}");
        assertThat(e.field()).isEqualTo("cents");
        assertThat(e).hasMessageStartingWith("bank.Deposited.cents: Number value length (10001) exceeds");
    }

    @Test
    void a_repeated_property_is_refused() {
        CodecException e = loadFailure("acc-1", "{\"accountId\":\"acc-1\",\"cents\":100,\"cents\":1}");
        assertThat(e.field()).isEqualTo("cents");
        assertThat(e).hasMessageStartingWith("bank.Deposited.cents: duplicate property 'cents'");
    }
}
