package dev.eventsource.sample.readmodel;

/**
 * Converts currency amounts to whole cents, the unit in which read models and checks add amounts up
 * exactly (a sum of {@code double}s depends on the order of the additions).
 *
 * <pre>{@code
 * long cents = Cents.of(3 * 12.34);   // 3702
 * }</pre>
 */
public final class Cents {

    private Cents() {
    }

    /** {@code amount} rounded to the nearest cent. */
    public static long of(double amount) {
        return Math.round(amount * 100.0);
    }
}
