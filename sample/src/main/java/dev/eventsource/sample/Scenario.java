package dev.eventsource.sample;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;
import dev.eventsource.Engine;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.StreamOptions;
import dev.eventsource.sample.customer.Customer;
import dev.eventsource.sample.customer.RegisterCustomer;
import dev.eventsource.sample.customer.ReleaseCredit;
import dev.eventsource.sample.customer.ReserveCredit;
import dev.eventsource.sample.order.AddOrderLine;
import dev.eventsource.sample.order.CancelOrder;
import dev.eventsource.sample.order.ChangeStatus;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.order.OrderStatus;
import dev.eventsource.sample.order.PayOrder;
import dev.eventsource.sample.process.LoyaltyOnPayment;
import dev.eventsource.sample.readmodel.Cents;
import dev.eventsource.sample.readmodel.CheckoutLog;
import dev.eventsource.sample.readmodel.OrderStatusBoard;
import dev.eventsource.sample.readmodel.OrderSummary;
import dev.eventsource.sample.readmodel.OrderTable;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.Snapshot;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The sample's story, run against any store: register customers, place orders (each reserving
 * credit), add lines, pay, confirm, ship, deliver and cancel; send commands that the rules must
 * reject; hammer one order from several threads; check every read model against the aggregates;
 * rebuild a projection; load an order from its snapshot and compare with a full replay. Everything it
 * does and finds ends up in a {@link ScenarioReport}.
 *
 * <pre>{@code
 * try (EventStore store = new InMemoryStore()) {
 *     ScenarioReport report = new Scenario(Scenario.Backend.of("in-memory", store),
 *             Scenario.Settings.defaults(), new Progress(System.out)).run();
 *     report.print(System.out);
 * }
 * }</pre>
 *
 * <p>One scenario runs once, on the calling thread (plus the worker threads of the concurrency phase).
 */
public final class Scenario {

    /** Events between two snapshots of an order (the engine default in this sample). */
    static final int SNAPSHOT_EVERY = 100;
    private static final Duration PROJECTION_TIMEOUT = Duration.ofSeconds(120);

    /**
     * How much the scenario does.
     *
     * @param customers customers to register
     * @param orders orders to try to place (some are refused for credit)
     * @param threads threads sending commands to one order at the same time
     * @param commandsPerThread commands each of those threads sends
     * @param seed random seed: the same seed gives the same story
     */
    public record Settings(int customers, int orders, int threads, int commandsPerThread, long seed) {

        /** Checks the counts. */
        public Settings {
            if (customers < 1 || orders < 1 || threads < 1 || commandsPerThread < 1) {
                throw new IllegalArgumentException("customers, orders, threads and commandsPerThread must be positive: "
                        + customers + ", " + orders + ", " + threads + ", " + commandsPerThread);
            }
        }

        /** A few thousand orders: about a second on the in-memory store. */
        public static Settings defaults() {
            return new Settings(200, 5_000, 8, 250, 42);
        }
    }

    /**
     * Where the scenario runs.
     *
     * @param description for the report, e.g. {@code in-memory}
     * @param store the event store; the caller closes it
     * @param orderTable the SQL read model, or {@code null} when the store is not a database
     * @param dataSource the database holding {@code orderTable}, or {@code null}
     */
    public record Backend(String description, EventStore store, OrderTable orderTable, DataSource dataSource) {

        /** A store without SQL read model. */
        public static Backend of(String description, EventStore store) {
            return new Backend(description, store, null, null);
        }
    }

    private final Backend backend;
    private final Settings settings;
    private final Progress progress;
    private final Random random;
    private final ScenarioReport report = new ScenarioReport();

    private Engine engine;
    private final List<String> customerIds = new ArrayList<>();
    private final List<String> orderIds = new ArrayList<>();
    private final Map<String, String> customerOf = new HashMap<>();
    private long phaseCommands;
    private long payments;
    /** Payments of 1.00 or more (each earns loyalty points) and the points each customer should have. */
    private long paymentsWithPoints;
    private final Map<String, Long> expectedPoints = new HashMap<>();

    /** A scenario that will run once with {@link #run()}. */
    public Scenario(Backend backend, Settings settings, Progress progress) {
        this.backend = backend;
        this.settings = settings;
        this.progress = progress;
        this.random = new Random(settings.seed());
        report.backend = backend.description();
        report.settings = settings;
    }

    /** Runs every phase and returns the report; invariant violations are in {@link ScenarioReport#failures()}. */
    public ScenarioReport run() throws Exception {
        EventStore store = backend.store();
        OrderStatusBoard board = new OrderStatusBoard();
        OrderSummary summary = new OrderSummary();
        CheckoutLog checkouts = new CheckoutLog();
        try (Engine main = Engine.builder().store(store).snapshotEvery(SNAPSHOT_EVERY).build()) {
            engine = main;
            engine.registerAggregate(Order.class);
            engine.registerAggregate(Customer.class);
            engine.registerProjection(board);
            engine.registerProjection(summary, StreamOptions.named("orders").partitions(4).bufferSize(1000));
            engine.registerProjection(checkouts, StreamOptions.named("checkouts"));
            LoyaltyOnPayment loyalty = new LoyaltyOnPayment(engine);
            engine.registerProjection(loyalty, StreamOptions.named(LoyaltyOnPayment.NAME));
            if (backend.orderTable() != null) {
                engine.registerProjection(backend.orderTable(),
                        StreamOptions.named("order-table").partitions(2).bufferSize(1000));
            }
            engine.start();

            registerCustomers();
            placeOrders();
            settleOrders();
            sendInvalidCommands();
            String hot = concurrentCommandsOnOneOrder();
            checkProjections(board, summary, checkouts);
            checkReaction(loyalty, store);
            rebuild(summary);
            loadFromSnapshot(store, hot);
            checkCredit();
            report.events = store.headPosition();
        }
        return report;
    }

    private void registerCustomers() {
        Progress.Phase phase = begin("registering customers", settings.customers());
        for (int i = 1; i <= settings.customers(); i++) {
            String id = String.format("customer_%04d", i);
            double limit = cents(300_000 + random.nextInt(900_000));
            execute(Customer.class, id, new RegisterCustomer(id, "Customer " + i, limit));
            customerIds.add(id);
            phase.step();
        }
        end(phase, "register customers");
        count("customers", customerIds.size());
    }

    private void placeOrders() {
        Progress.Phase phase = begin("placing orders", settings.orders());
        long refused = 0;
        long lines = 0;
        for (int i = 1; i <= settings.orders(); i++) {
            String id = String.format("order_%06d", i);
            String customer = customerIds.get(random.nextInt(customerIds.size()));
            double amount = cents(1_000 + random.nextInt(29_000));
            // Two aggregates, two commands: credit first, then the order. No distributed transaction;
            // if the second command failed, the application would release the credit again.
            if (execute(Customer.class, customer, new ReserveCredit(id, amount))) {
                // Metadata travels with the events: here, the checkout session that placed the order.
                execute(Order.class, id, new CreateOrder(id, customer, amount),
                        Map.of(CheckoutLog.CHECKOUT, "checkout-" + i));
                orderIds.add(id);
                customerOf.put(id, customer);
                int n = random.nextInt(4);
                for (int l = 0; l < n; l++) {
                    AddOrderLine line = new AddOrderLine("sku-" + random.nextInt(500), 1 + random.nextInt(3),
                            cents(100 + random.nextInt(4_900)));
                    if (execute(Customer.class, customer, new ReserveCredit(id, line.quantity() * line.unitPrice()))) {
                        execute(Order.class, id, line);
                        lines++;
                    }
                }
            } else {
                refused++;
            }
            phase.step();
        }
        end(phase, "place orders and add lines");
        count("orders placed", orderIds.size());
        count("orders refused: credit limit", refused);
        count("lines added", lines);
    }

    private void settleOrders() {
        Progress.Phase phase = begin("paying, shipping, cancelling", orderIds.size());
        for (String id : orderIds) {
            String customer = customerOf.get(id);
            int fate = random.nextInt(100);
            double outstanding = load(Order.class, id).outstanding();
            if (fate < 60) {
                pay(id, customer, outstanding);
                execute(Order.class, id, new ChangeStatus(OrderStatus.CONFIRMED));
                if (fate < 40) {
                    execute(Order.class, id, new ChangeStatus(OrderStatus.SHIPPED));
                }
                if (fate < 20) {
                    execute(Order.class, id, new ChangeStatus(OrderStatus.DELIVERED));
                }
            } else if (fate < 75) {
                execute(Order.class, id, new CancelOrder("customer changed their mind"));
                execute(Customer.class, customer, new ReleaseCredit(id, outstanding));
            } else if (fate < 85) {
                pay(id, customer, cents(Cents.of(outstanding) / 2));
            }
            phase.step();
        }
        end(phase, "pay, confirm, ship, deliver, cancel");
    }

    /** Pays {@code amount} and releases as much credit. */
    private void pay(String orderId, String customer, double amount) {
        if (amount > 0 && execute(Order.class, orderId, new PayOrder("pay_" + orderId, amount))) {
            execute(Customer.class, customer, new ReleaseCredit(orderId, amount));
            payments++;
            if (amount >= 1) {
                paymentsWithPoints++;
                expectedPoints.merge(customer, (long) amount, Long::sum);
            }
        }
    }

    private void sendInvalidCommands() {
        Progress.Phase phase = begin("sending invalid commands", 0);
        Map<String, List<String>> byStatus = new LinkedHashMap<>();
        for (String id : orderIds) {
            Order order = load(Order.class, id);
            String key = order.status() + (order.outstanding() > 0 ? "/unpaid" : "/paid");
            byStatus.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
        }
        int perKind = 10;
        for (String id : sample(byStatus, OrderStatus.CANCELLED + "/unpaid", perKind)) {
            rejected(Order.class, id, new PayOrder("pay_late", 1.0));
            rejected(Order.class, id, new CancelOrder("twice"));
        }
        for (String id : sample(byStatus, OrderStatus.DELIVERED + "/paid", perKind)) {
            rejected(Order.class, id, new CancelOrder("too late"));
            rejected(Order.class, id, new ChangeStatus(OrderStatus.CREATED));
        }
        for (String id : sample(byStatus, OrderStatus.SHIPPED + "/paid", perKind)) {
            rejected(Order.class, id, new AddOrderLine("sku-late", 1, 5.0));
        }
        for (String id : sample(byStatus, OrderStatus.CREATED + "/unpaid", perKind)) {
            double outstanding = load(Order.class, id).outstanding();
            rejected(Order.class, id, new ChangeStatus(OrderStatus.CONFIRMED));
            rejected(Order.class, id, new ChangeStatus(OrderStatus.SHIPPED));
            rejected(Order.class, id, new PayOrder("pay_too_much", outstanding + 100));
            rejected(Order.class, id, new ChangeStatus("lost"));
            rejected(Order.class, id, new CreateOrder(id, customerOf.get(id), 10));
        }
        for (int i = 0; i < perKind; i++) {
            String unknown = "order_unknown_" + i;
            rejected(Order.class, unknown, new AddOrderLine("sku-1", 1, 1.0));
            rejected(Order.class, unknown, new CreateOrder(unknown, "customer_0001", -5));
            report.check(engine.load(Order.class, unknown).isEmpty(),
                    "a rejected command on new id " + unknown + " created the order");
            rejected(Customer.class, "customer_unknown_" + i, new ReserveCredit(unknown, 1.0));
        }
        // Asking for the status an order already has is accepted but records nothing.
        long noOps = 0;
        for (String id : sample(byStatus, OrderStatus.CONFIRMED + "/paid", perKind)) {
            long before = load(Order.class, id).version();
            execute(Order.class, id, new ChangeStatus(OrderStatus.CONFIRMED));
            long after = load(Order.class, id).version();
            report.check(before == after, "no-op ChangeStatus on " + id + " moved version " + before + " -> " + after);
            noOps++;
        }
        end(phase, "invalid commands and no-ops");
        count("no-op commands (nothing appended)", noOps);
    }

    private static List<String> sample(Map<String, List<String>> byStatus, String key, int n) {
        List<String> ids = byStatus.getOrDefault(key, List.of());
        return ids.subList(0, Math.min(n, ids.size()));
    }

    private String concurrentCommandsOnOneOrder() throws Exception {
        String customer = "customer_warehouse";
        String id = "order_hot";
        execute(Customer.class, customer, new RegisterCustomer(customer, "Warehouse", 1_000));
        execute(Customer.class, customer, new ReserveCredit(id, 1.0));
        execute(Order.class, id, new CreateOrder(id, customer, 1.0));
        customerOf.put(id, customer);
        orderIds.add(id);
        count("orders placed", orderIds.size());

        int threads = settings.threads();
        int perThread = settings.commandsPerThread();
        Progress.Phase phase = begin("concurrent commands on " + id, (long) threads * perThread);
        AtomicLong attempts = new AtomicLong();
        AtomicLong gaveUp = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        // Free stickers: lines that cost nothing, so no credit is involved.
                        Command<Order> add = new Attempts<>(new AddOrderLine("sticker-" + thread, 1, 0.0), attempts);
                        while (true) {
                            try {
                                engine.execute(Order.class, id, add);
                                break;
                            } catch (ConcurrencyException e) {
                                gaveUp.incrementAndGet();  // the engine's retries ran out: send it again
                            }
                        }
                        phase.step();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdown();
        }
        long commands = (long) threads * perThread;
        phaseCommands += commands;
        report.accepted += commands;
        end(phase, "concurrent commands on one order");
        // Pay and confirm it, so its newest events come after its last snapshot.
        pay(id, customer, 1.0);
        execute(Order.class, id, new ChangeStatus(OrderStatus.CONFIRMED));
        Order hot = load(Order.class, id);
        report.concurrency = new ScenarioReport.Concurrency(id, threads, commands, attempts.get(), gaveUp.get(),
                hot.lineCount(), hot.version());
        report.check(hot.lineCount() == commands, id + " has " + hot.lineCount() + " lines, expected " + commands);
        return id;
    }

    private void checkProjections(OrderStatusBoard board, OrderSummary summary, CheckoutLog checkouts)
            throws SQLException {
        Progress.Phase phase = begin("waiting for projections", 0);
        boolean caughtUp = engine.awaitProjections(PROJECTION_TIMEOUT);
        end(phase, "projections catch up");
        report.check(caughtUp, "projections did not catch up within " + PROJECTION_TIMEOUT);
        report.projections = engine.projectionStatus();
        for (ProjectionStatus p : report.projections) {
            report.check(p.deadLetters() == 0 && !p.stopped(), "projection " + p.projection() + " partition "
                    + p.partition() + " has " + p.deadLetters() + " dead letters, failure: " + p.failure());
        }
        report.checkouts = new long[] {checkouts.withCheckout(), checkouts.withoutCheckout()};
        report.check(checkouts.withCheckout() == orderIds.size() - 1 && checkouts.withoutCheckout() == 1,
                "checkout-log saw " + checkouts.withCheckout() + " orders with a checkout id and "
                        + checkouts.withoutCheckout() + " without; expected " + (orderIds.size() - 1) + " and 1 (order_hot)");

        Map<String, Long> statuses = new LinkedHashMap<>();
        OrderStatus.ALL.forEach(s -> statuses.put(s, 0L));
        long amountCents = 0;
        long paidCents = 0;
        long lines = 0;
        for (String id : orderIds) {
            Order order = load(Order.class, id);
            statuses.merge(order.status(), 1L, Long::sum);
            amountCents += Cents.of(order.amount());
            paidCents += Cents.of(order.paid());
            lines += order.lineCount();
        }
        report.truth = new OrderSummary.Totals(orderIds.size(), amountCents, lines, payments,
                paidCents, statuses.get(OrderStatus.CANCELLED));
        report.summary = summary.totals();
        report.boardTruth = statuses;
        report.board = board.countByStatus();
        report.check(report.summary.equals(report.truth), "order-summary " + report.summary + " differs from the aggregates "
                + report.truth);
        report.check(report.board.equals(statuses), "order-status-board " + report.board + " differs from the aggregates "
                + statuses);
        count("payments", payments);
        statuses.forEach((status, n) -> count("orders " + status, n));
        if (backend.orderTable() != null) {
            report.orderTable = backend.orderTable().countByStatus(backend.dataSource());
            long[] sums = backend.orderTable().sumsInCents(backend.dataSource());
            report.check(report.orderTable.equals(statuses), "order-table " + report.orderTable
                    + " differs from the aggregates " + statuses);
            report.check(sums[0] == amountCents && sums[1] == paidCents, "order-table sums " + sums[0] + "/" + sums[1]
                    + " cents differ from the aggregates " + amountCents + "/" + paidCents);
        }
    }

    /**
     * The loyalty reaction awarded points once per payment of 1.00 or more; rebuilt, it receives
     * every payment again, and each of its commands is a duplicate: nothing is appended twice.
     */
    private void checkReaction(LoyaltyOnPayment loyalty, EventStore store) {
        long awarded = loyalty.awarded();
        long rejected = loyalty.rejected();
        report.check(awarded == paymentsWithPoints && loyalty.duplicates() == 0, "loyalty-on-payment awarded " + awarded
                + " times (" + loyalty.duplicates() + " duplicates) for " + paymentsWithPoints + " payments of 1.00 or more");
        report.check(rejected == payments - paymentsWithPoints, "loyalty-on-payment rejected " + rejected
                + " payments, expected " + (payments - paymentsWithPoints) + " under 1.00");
        for (String customer : customerIds) {
            long points = load(Customer.class, customer).points();
            long expected = expectedPoints.getOrDefault(customer, 0L);
            report.check(points == expected, "customer " + customer + " has " + points + " points, expected " + expected);
        }
        Progress.Phase phase = begin("redelivering every payment to loyalty-on-payment", 0);
        long head = store.headPosition();
        engine.rebuildProjection(loyalty);
        boolean caughtUp = engine.awaitProjections(PROJECTION_TIMEOUT);
        end(phase, "rebuild loyalty-on-payment");
        report.check(caughtUp, "the rebuilt reaction did not catch up within " + PROJECTION_TIMEOUT);
        long appended = store.headPosition() - head;
        report.reaction = new ScenarioReport.Reaction(awarded, rejected, paymentsWithPoints, loyalty.duplicates(), appended);
        report.check(appended == 0 && loyalty.duplicates() == paymentsWithPoints && loyalty.awarded() == 0,
                "redelivered payments appended " + appended + " events; " + loyalty.duplicates() + " duplicates and "
                        + loyalty.awarded() + " new awards, expected " + paymentsWithPoints + " and 0");
    }

    private void rebuild(OrderSummary summary) {
        OrderSummary.Totals before = summary.totals();
        long events = backend.store().headPosition();
        Progress.Phase phase = begin("rebuilding order-summary", 0);
        engine.rebuildProjection(summary);
        boolean caughtUp = engine.awaitProjections(PROJECTION_TIMEOUT);
        long nanos = end(phase, "rebuild order-summary");
        report.check(caughtUp, "the rebuilt projection did not catch up within " + PROJECTION_TIMEOUT);
        OrderSummary.Totals after = summary.totals();
        report.rebuild = new ScenarioReport.Rebuild(nanos, events, before, after);
        report.check(before.equals(after), "rebuilt order-summary " + after + " differs from the live one " + before);
    }

    private void loadFromSnapshot(EventStore store, String id) throws InterruptedException {
        // Snapshots are written after the commit, off the command's path: give the last one a moment.
        Optional<Snapshot> snapshot = store.loadSnapshot("Order", id);
        for (int i = 0; i < 100 && snapshot.isEmpty(); i++) {
            Thread.sleep(50);
            snapshot = store.loadSnapshot("Order", id);
        }
        if (snapshot.isEmpty()) {
            report.check(false, "no snapshot of Order/" + id + " after " + load(Order.class, id).version() + " events");
            return;
        }
        long[] snapshotNanos = new long[1];
        long[] replayNanos = new long[1];
        Order.State fromSnapshot = coldLoad(store, id, snapshotNanos);
        Order.State replayed = coldLoad(WithoutSnapshots.of(store), id, replayNanos);
        report.snapshot = new ScenarioReport.SnapshotLoad(id, snapshot.get().version(), fromSnapshot.version(),
                snapshotNanos[0], replayNanos[0], fromSnapshot.equals(replayed));
        report.check(fromSnapshot.equals(replayed), "order " + id + " from its snapshot " + fromSnapshot
                + " differs from the full replay " + replayed);
    }

    /** Loads an order with a new engine (empty cache); the time of that one load goes to {@code nanos[0]}. */
    private Order.State coldLoad(EventStore store, String id, long[] nanos) {
        try (Engine cold = new Engine(store)) {
            cold.registerAggregate(Order.class);
            cold.start();
            cold.load(Order.class, orderIds.get(0));  // warms the code path on another order
            long start = System.nanoTime();
            Order order = cold.load(Order.class, id).orElseThrow();
            nanos[0] = System.nanoTime() - start;
            return order.state();
        }
    }

    private void checkCredit() {
        Map<String, Long> outstanding = new HashMap<>();
        for (String id : orderIds) {
            Order order = load(Order.class, id);
            if (!OrderStatus.CANCELLED.equals(order.status())) {
                outstanding.merge(order.customerId(), Cents.of(order.outstanding()), Long::sum);
            }
        }
        List<String> customers = new ArrayList<>(customerIds);
        customers.add("customer_warehouse");
        for (String id : customers) {
            Customer c = load(Customer.class, id);
            long expected = outstanding.getOrDefault(id, 0L);
            report.check(Cents.of(c.reserved()) == expected, "customer " + id + " reserves " + c.reserved()
                    + " but their open orders owe " + expected / 100.0);
            report.check(c.reserved() <= c.creditLimit() + 0.005, "customer " + id + " is over the limit: "
                    + c.reserved() + " > " + c.creditLimit());
        }
    }

    /** Executes a command the story expects may be rejected by the rules; returns whether it was accepted. */
    private <A extends AggregateRoot> boolean execute(Class<A> type, String id, Command<A> command) {
        return execute(type, id, command, Map.of());
    }

    /** As {@link #execute(Class, String, Command)}, storing {@code metadata} with the recorded events. */
    private <A extends AggregateRoot> boolean execute(Class<A> type, String id, Command<A> command,
                                                      Map<String, String> metadata) {
        phaseCommands++;
        try {
            engine.execute(type, id, command, metadata);
            report.accepted++;
            return true;
        } catch (CommandValidationException e) {
            report.rejected++;
            report.rejectedByCommand.add(command.getClass().getSimpleName(), e.getMessage());
            return false;
        }
    }

    /** Executes a command that the rules must reject; an acceptance is a broken invariant. */
    private <A extends AggregateRoot> void rejected(Class<A> type, String id, Command<A> command) {
        phaseCommands++;
        report.invalidSent++;
        try {
            engine.execute(type, id, command);
            report.check(false, "invalid " + command + " on " + id + " was accepted");
        } catch (CommandValidationException e) {
            report.invalidRejected++;
            report.invalidByCommand.add(command.getClass().getSimpleName(), e.getMessage());
        }
    }

    private <A extends AggregateRoot> A load(Class<A> type, String id) {
        return engine.load(type, id).orElseThrow(() -> new IllegalStateException(type.getSimpleName() + " " + id
                + " should exist"));
    }

    private Progress.Phase begin(String name, long total) {
        phaseCommands = 0;
        return progress.start(name, total);
    }

    private long end(Progress.Phase phase, String name) {
        long nanos = phase.done();
        report.phases.add(new ScenarioReport.Phase(name, nanos, phaseCommands));
        phaseCommands = 0;
        return nanos;
    }

    private void count(String what, long n) {
        report.counts.put(what, n);
    }

    private static double cents(long cents) {
        return cents / 100.0;
    }

    /**
     * Wraps a command to count how often the engine runs it: more than once means a version
     * conflict made the engine reload the order and try again.
     */
    private record Attempts<A extends AggregateRoot>(Command<A> command, AtomicLong attempts) implements Command<A> {

        @Override
        public void validate(A aggregate) {
            command.validate(aggregate);
        }

        @Override
        public void perform(A aggregate) {
            attempts.incrementAndGet();
            command.perform(aggregate);
        }
    }
}
