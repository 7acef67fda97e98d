package dev.eventsource.spring.boot.domain;

import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open tickets' ids: an {@code @Projection} class the tests declare as a bean. */
@Projection(name = "open-tickets")
public class OpenTickets {

    private final Set<String> open = ConcurrentHashMap.newKeySet();

    @Apply
    void on(TicketOpened e) {
        open.add(e.id());
    }

    @Apply
    void on(TicketClosed e) {
        open.remove(e.id());
    }

    public Set<String> ids() {
        return Set.copyOf(open);
    }
}
