package dev.eventsource.sample.spring;

import dev.eventsource.CommandValidationException;
import dev.eventsource.Engine;
import dev.eventsource.sample.order.AddOrderLine;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.order.PayOrder;
import dev.eventsource.sample.readmodel.OrderTable;
import dev.eventsource.store.ConcurrencyException;
import java.net.URI;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP API: commands go through the injected {@link Engine}; the summary is read from the
 * {@link OrderTable} projection, so it shows a command once the projection has handled it
 * (eventually consistent: a GET right after a POST may still answer 404 or the previous state).
 */
@RestController
@RequestMapping("/orders")
class OrdersController {

    /** The body of {@code POST /orders}; {@code id} is generated when absent. */
    record PlaceOrder(String id, String customerId, double amount) {
    }

    /** The body of {@code POST /orders/{id}/lines}. */
    record Line(String sku, int quantity, double unitPrice) {
    }

    /** The body of {@code POST /orders/{id}/payments}. */
    record Payment(String paymentId, double amount) {
    }

    /** What the write operations answer: the order's id, status and version after the command. */
    record Written(String id, String status, long version, double outstanding) {
        static Written of(Order order) {
            return new Written(order.id(), order.status(), order.version(), order.outstanding());
        }
    }

    /** What {@code GET /orders/{id}} answers, from the read model. */
    record Summary(String id, String status, double amount, double paid) {
    }

    private final Engine engine;
    private final OrderTable table;
    private final DataSource dataSource;

    OrdersController(Engine engine, OrderTable table, DataSource dataSource) {
        this.engine = engine;
        this.table = table;
        this.dataSource = dataSource;
    }

    @PostMapping
    ResponseEntity<Written> place(@RequestBody PlaceOrder body) {
        String id = body.id() != null ? body.id() : "order-" + UUID.randomUUID();
        Order order = engine.execute(Order.class, id, new CreateOrder(id, body.customerId(), body.amount()));
        return ResponseEntity.created(URI.create("/orders/" + id)).body(Written.of(order));
    }

    @PostMapping("/{id}/lines")
    Written addLine(@PathVariable String id, @RequestBody Line body) {
        return Written.of(engine.execute(Order.class, id, new AddOrderLine(body.sku(), body.quantity(), body.unitPrice())));
    }

    @PostMapping("/{id}/payments")
    Written pay(@PathVariable String id, @RequestBody Payment body) {
        String paymentId = body.paymentId() != null ? body.paymentId() : "pay-" + UUID.randomUUID();
        return Written.of(engine.execute(Order.class, id, new PayOrder(paymentId, body.amount())));
    }

    @GetMapping("/{id}")
    ResponseEntity<Summary> summary(@PathVariable String id) throws SQLException {
        OrderTable.Row row = table.rowsWithPrefix(dataSource, id).get(id);
        if (row == null) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(new Summary(id, row.status(), row.amountCents() / 100.0, row.paidCents() / 100.0));
    }

    @ExceptionHandler(CommandValidationException.class)
    ResponseEntity<Map<String, String>> rejected(CommandValidationException e) {
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<Map<String, String>> conflict(ConcurrencyException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }
}
