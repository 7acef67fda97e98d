package dev.eventsource.sample.readmodel;

/** Converts currency amounts to whole cents, the unit read models add up exactly. */
final class Cents {

    private Cents() {
    }

    static long of(double amount) {
        return Math.round(amount * 100.0);
    }
}
