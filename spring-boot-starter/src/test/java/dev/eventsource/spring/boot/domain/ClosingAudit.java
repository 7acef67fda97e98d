package dev.eventsource.spring.boot.domain;

import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Projection} bean that fails on every {@code TicketClosed} while {@link #failing} is set,
 * and can be held on an event to make it lag.
 */
public class ClosingAudit implements Projection {

    public volatile boolean failing;
    public final CountDownLatch release = new CountDownLatch(1);
    public volatile boolean holding;
    public final AtomicInteger handled = new AtomicInteger();

    @Override
    public void handle(EventEnvelope<?> event) {
        if (holding) {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failing && event.data() instanceof TicketClosed closed) {
            throw new IllegalStateException("audit cannot record the closing of " + closed.id());
        }
        handled.incrementAndGet();
    }

    @Override
    public String name() {
        return "closing-audit";
    }
}
