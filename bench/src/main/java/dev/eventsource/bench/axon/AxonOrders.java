package dev.eventsource.bench.axon;

import dev.eventsource.bench.OrderCommands;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateAnnotationCommandHandler;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

/**
 * Axon Framework 4.13 wired by hand, in memory, in its fastest reasonable single-thread shape:
 * {@link InMemoryEventStorageEngine} under an {@link EmbeddedEventStore}, and an
 * {@link EventSourcingRepository} with a cache that holds every aggregate ({@link StrongCache}, which
 * makes it a {@code CachingEventSourcingRepository}). The cache is what a serious Axon user enables
 * for hot aggregates, and here it is also necessary: the in-memory storage engine finds an
 * aggregate's events by scanning every stored event, so an uncached load costs time proportional to
 * the whole log (with Axon's {@code WeakReferenceCache}, entries vanish at each GC and {@code addLine}
 * falls to ~10k commands/s with huge variance).
 *
 * <p>Two ways in, both measured:
 * <ul>
 *   <li>{@link Via#GATEWAY}: {@code DefaultCommandGateway.sendAndWait} on a {@code SimpleCommandBus}
 *       with an {@code AggregateAnnotationCommandHandler}: what Axon applications write, with a
 *       direct command target resolver instead of the reflective default.</li>
 *   <li>{@link Via#REPOSITORY}: a {@code DefaultUnitOfWork} around {@code repository.load(..).execute(..)}
 *       or {@code newInstance}: Axon's leanest path, no bus, no target resolution; closest to what
 *       our {@code Engine.execute} does.</li>
 * </ul>
 *
 * <pre>{@code
 * OrderCommands axon = new AxonOrders(AxonOrders.Via.GATEWAY);
 * axon.create("order_1", "c_1", 99.99);
 * }</pre>
 *
 * <p>Single-threaded use only, like the benchmark that drives it.
 */
public final class AxonOrders implements OrderCommands {

    /** How commands reach the aggregate. */
    public enum Via {
        /** Command gateway over a simple command bus. */
        GATEWAY,
        /** Unit of work around direct repository calls. */
        REPOSITORY
    }

    private final Via via;
    private final EmbeddedEventStore eventStore;
    private final EventSourcingRepository<AxonOrder> repository;
    private final CommandGateway gateway;

    /** Builds a fresh, empty Axon set-up. */
    public AxonOrders(Via via) {
        this.via = via;
        this.eventStore = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        this.repository = EventSourcingRepository.builder(AxonOrder.class)
                .eventStore(eventStore)
                .cache(new StrongCache())
                .build();
        SimpleCommandBus commandBus = SimpleCommandBus.builder().build();
        AggregateAnnotationCommandHandler.<AxonOrder>builder()
                .aggregateType(AxonOrder.class)
                .repository(repository)
                // Axon's default AnnotationCommandTargetResolver reflects on every command (about
                // 5x slower here, with large variance from the garbage it makes); tuned
                // applications plug in a direct resolver like this one.
                .commandTargetResolver(command -> new VersionedAggregateIdentifier(
                        ((AxonOrder.Targeted) command.getPayload()).orderId(), null))
                .build()
                .subscribe(commandBus);
        this.gateway = DefaultCommandGateway.builder().commandBus(commandBus).build();
    }

    @Override
    public void create(String orderId, String customerId, double amount) {
        AxonOrder.Create command = new AxonOrder.Create(orderId, customerId, amount);
        if (via == Via.GATEWAY) {
            gateway.sendAndWait(command);
            return;
        }
        DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage(command))
                .executeWithResult(() -> repository.newInstance(() -> new AxonOrder(command)))
                .optionalExceptionResult()
                .ifPresent(AxonOrders::rethrow);
    }

    @Override
    public void addLine(String orderId, String sku, int quantity, double unitPrice) {
        AxonOrder.AddLine command = new AxonOrder.AddLine(orderId, sku, quantity, unitPrice);
        if (via == Via.GATEWAY) {
            gateway.sendAndWait(command);
            return;
        }
        DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage(command))
                .executeWithResult(() -> {
                    repository.load(orderId).execute(order -> order.handle(command));
                    return null;
                })
                .optionalExceptionResult()
                .ifPresent(AxonOrders::rethrow);
    }

    @Override
    public int lineCount(String orderId) {
        int[] count = new int[1];
        DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("read"))
                .execute(() -> repository.load(orderId).execute(order -> count[0] = order.lineCount()));
        return count[0];
    }

    @Override
    public void close() {
        eventStore.shutDown();
    }

    private static void rethrow(Throwable t) {
        throw new IllegalStateException("Axon command failed", t);
    }
}
