package dev.eventsource.sample.order;

import dev.eventsource.CommandValidationException;

/** Checks shared by the order commands; each throws {@link CommandValidationException} with the reason. */
final class OrderRules {

    private OrderRules() {
    }

    static void requireExisting(Order order) {
        if (!order.exists()) {
            throw new CommandValidationException("order does not exist");
        }
    }

    static void requirePositive(String what, double value) {
        if (!(value > 0)) {
            throw new CommandValidationException(what + " must be positive, was " + value);
        }
    }

    static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new CommandValidationException(what + " must not be blank");
        }
    }
}
