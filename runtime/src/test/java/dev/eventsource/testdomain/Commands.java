package dev.eventsource.testdomain;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;
import dev.eventsource.testdomain.Events.Added;
import dev.eventsource.testdomain.Events.Created;
import dev.eventsource.testdomain.Events.Opened;

/** Commands of the test domain. */
public final class Commands {

    private Commands() {
    }

    /** Creates the counter if new, then adds {@code amount} (must be positive). */
    public record Add(String id, long amount) implements Command<Counter> {
        @Override
        public void validate(Counter counter) {
            if (amount <= 0) {
                throw new CommandValidationException("amount must be positive: " + amount);
            }
        }

        @Override
        public void perform(Counter counter) {
            if (counter.version() == 0) {
                counter.record(new Created(id));
            }
            counter.record(new Added(id, amount));
        }
    }

    /** Records events, then throws. */
    public record AddThenFail(String id) implements Command<Counter> {
        @Override
        public void perform(Counter counter) {
            counter.record(new Created(id));
            counter.record(new Added(id, 1));
            throw new IllegalStateException("perform failed after recording");
        }
    }

    /** Records nothing. */
    public record Nothing() implements Command<Counter> {
        @Override
        public void perform(Counter counter) {
        }
    }

    /** Opens an account. */
    public record Open(String id, String owner) implements Command<Account> {
        @Override
        public void perform(Account account) {
            account.record(new Opened(id, owner));
        }
    }
}
