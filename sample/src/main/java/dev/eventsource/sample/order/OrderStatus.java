package dev.eventsource.sample.order;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statuses an order goes through and the moves allowed between them:
 * {@code created -> confirmed -> shipped -> delivered}, and {@code cancelled} from
 * {@code created} or {@code confirmed} only. Statuses are plain strings in events (as in the quick
 * start), so this class only holds the names and the rules.
 *
 * <pre>{@code
 * OrderStatus.canMove(OrderStatus.CREATED, OrderStatus.SHIPPED);   // false: confirm first
 * }</pre>
 */
public final class OrderStatus {

    /** Placed, lines may still be added. */
    public static final String CREATED = "created";
    /** Accepted for fulfilment; needs the order to be fully paid. */
    public static final String CONFIRMED = "confirmed";
    /** Handed to the carrier; can no longer be cancelled. */
    public static final String SHIPPED = "shipped";
    /** Received by the customer; final. */
    public static final String DELIVERED = "delivered";
    /** Cancelled before shipping; final. */
    public static final String CANCELLED = "cancelled";

    /** Every status, in lifecycle order. */
    public static final List<String> ALL = List.of(CREATED, CONFIRMED, SHIPPED, DELIVERED, CANCELLED);

    private static final Map<String, Set<String>> NEXT = Map.of(
            CREATED, Set.of(CONFIRMED, CANCELLED),
            CONFIRMED, Set.of(SHIPPED, CANCELLED),
            SHIPPED, Set.of(DELIVERED),
            DELIVERED, Set.of(),
            CANCELLED, Set.of());

    private OrderStatus() {
    }

    /** Whether {@code status} is one of {@link #ALL}. */
    public static boolean isKnown(String status) {
        return NEXT.containsKey(status);
    }

    /** Whether an order in status {@code from} may move to {@code to}. */
    public static boolean canMove(String from, String to) {
        Set<String> next = NEXT.get(from);
        return next != null && next.contains(to);
    }
}
