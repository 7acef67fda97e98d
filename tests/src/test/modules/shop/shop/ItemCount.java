package shop;

import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import java.util.concurrent.atomic.AtomicInteger;

@Projection
public class ItemCount {
    final AtomicInteger items = new AtomicInteger();

    @Apply
    void on(Cart.ItemAdded e) {
        items.addAndGet(e.quantity());
    }
}
