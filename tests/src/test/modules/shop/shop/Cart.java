package shop;

import dev.eventsource.AggregateRoot;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.EventType;
import java.util.List;

@Aggregate
public class Cart extends AggregateRoot {

    @EventType(name = "ItemAdded")
    public record ItemAdded(String cartId, String sku, int quantity, List<String> tags) {}

    String id;
    int items;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(ItemAdded e) {
        id = e.cartId();
        items += e.quantity();
    }

    public int items() {
        return items;
    }
}
