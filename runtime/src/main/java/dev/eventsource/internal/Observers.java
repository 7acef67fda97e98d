package dev.eventsource.internal;

import dev.eventsource.EngineObserver;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.StoredEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's observers as one: {@link EngineObserver#NONE} when there are none, else each called
 * in the order added, an exception from one logged (at WARN the first time per observer, then at
 * DEBUG) and ignored, so an observer cannot fail a command or a projection.
 *
 * <pre>{@code
 * EngineObserver observer = Observers.of(List.of(metrics, tracing));
 * observer.appended("Order", "o1", 1, 2);
 * }</pre>
 */
public final class Observers implements EngineObserver {

    private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

    private final EngineObserver[] observers;
    private final AtomicBoolean[] warned;

    private Observers(List<EngineObserver> observers) {
        this.observers = observers.toArray(new EngineObserver[0]);
        this.warned = new AtomicBoolean[this.observers.length];
        for (int i = 0; i < warned.length; i++) {
            warned[i] = new AtomicBoolean();
        }
    }

    /** {@code observers} as one observer. */
    public static EngineObserver of(List<EngineObserver> observers) {
        return observers.isEmpty() ? EngineObserver.NONE : new Observers(observers);
    }

    private void failed(int i, String what, Throwable e) {
        if (e instanceof VirtualMachineError error) {
            throw error;
        }
        if (warned[i].compareAndSet(false, true)) {
            LOG.warn("engine observer {} failed in {}; ignored (further failures of it are logged at DEBUG)",
                    observers[i].getClass().getName(), what, e);
        } else {
            LOG.debug("engine observer {} failed in {}; ignored", observers[i].getClass().getName(), what, e);
        }
    }

    @Override
    public void commandRetried(String streamType, String aggregateId, int retry, ConcurrencyException conflict) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].commandRetried(streamType, aggregateId, retry, conflict);
            } catch (Throwable e) {
                failed(i, "commandRetried", e);
            }
        }
    }

    @Override
    public void appended(String streamType, String aggregateId, int commands, int events) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].appended(streamType, aggregateId, commands, events);
            } catch (Throwable e) {
                failed(i, "appended", e);
            }
        }
    }

    @Override
    public void snapshotWritten(String streamType, String aggregateId, long version, int bytes) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].snapshotWritten(streamType, aggregateId, version, bytes);
            } catch (Throwable e) {
                failed(i, "snapshotWritten", e);
            }
        }
    }

    @Override
    public Batch projectionBatch(String projection, int partition, List<StoredEvent> events) {
        Batch[] batches = new Batch[observers.length];
        for (int i = 0; i < observers.length; i++) {
            try {
                batches[i] = observers[i].projectionBatch(projection, partition, events);
            } catch (Throwable e) {
                failed(i, "projectionBatch", e);
            }
        }
        return failure -> {
            for (int i = batches.length - 1; i >= 0; i--) {       // the last begun ends first
                if (batches[i] != null) {
                    try {
                        batches[i].end(failure);
                    } catch (Throwable e) {
                        failed(i, "Batch.end", e);
                    }
                }
            }
        };
    }
}
