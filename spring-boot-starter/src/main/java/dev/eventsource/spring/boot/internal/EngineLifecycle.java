package dev.eventsource.spring.boot.internal;

import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.spring.boot.EventsourceProperties;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link Engine} once the application context has created its beans, and closes it
 * gracefully on shutdown. On start it registers every generated aggregate and every projection bean
 * (with its {@code eventsource.projections.<name>} options), then calls {@link Engine#start()}; on
 * stop it calls {@link Engine#close()} (drain, save checkpoints, hand partitions over) on a thread
 * of its own and tells Spring when it is done.
 *
 * <pre>{@code
 * EngineLifecycle lifecycle = new EngineLifecycle(engine, properties, GeneratedDescriptors.load(), projectionBeans);
 * lifecycle.start();                       // what Spring does when the context starts
 * lifecycle.stop(() -> log.info("closed"));
 * }</pre>
 *
 * <p>Phase {@link #PHASE}: below the web server's lifecycles ({@code SmartLifecycle.DEFAULT_PHASE -
 * 1024} and {@code - 2048}), so the engine starts before requests are served and is closed only
 * after the web server stopped taking them (and, with graceful shutdown, finished those in hand).
 *
 * <p>Threading: Spring calls start and stop on its lifecycle thread; a projection bean created
 * later (a lazy bean) is registered on the thread that creates it. {@code seen} is guarded by
 * {@code this}; {@code running} is volatile.
 */
public final class EngineLifecycle implements SmartLifecycle {

    /** The lifecycle phase: {@code SmartLifecycle.DEFAULT_PHASE - 4096}. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(EngineLifecycle.class);

    private final Engine engine;
    private final EventsourceProperties properties;
    private final GeneratedDescriptors descriptors;
    private final ProjectionBeans projections;
    private final Set<String> seen = new HashSet<>();
    private volatile boolean running;

    public EngineLifecycle(Engine engine, EventsourceProperties properties, GeneratedDescriptors descriptors,
            ProjectionBeans projections) {
        this.engine = engine;
        this.properties = properties;
        this.descriptors = descriptors;
        this.projections = projections;
    }

    /** Registers every generated aggregate with {@code engine} (registering one twice does nothing). */
    public static void registerAggregates(Engine engine, GeneratedDescriptors descriptors) {
        descriptors.aggregates().forEach(engine::registerAggregate);
    }

    @Override
    public void start() {
        if (properties.isRegisterAggregates()) {
            registerAggregates(engine, descriptors);
        }
        if (properties.isRegisterProjections()) {
            projections.drainTo(this::register);
            warnAboutUnknownProjectionNames();
        }
        engine.start();
        running = true;
        LOG.info("eventsource engine {} started on {}", engine.instanceId(), engine.store().getClass().getSimpleName());
    }

    private void register(ProjectionBeans.Found found, boolean late) {
        String name = found.projectionName();
        synchronized (this) {
            seen.add(Settings.key(name));
        }
        if (!Settings.enabled(properties, name)) {
            LOG.info("projection {} (bean {}) not registered: eventsource.projections.{}.enabled=false", name,
                    found.beanName(), name);
            return;
        }
        StreamOptions options = Settings.streamOptions(properties, name);
        if (options == null) {
            engine.registerProjection(found.bean());
        } else {
            engine.registerProjection(found.bean(), options);
        }
        if (late) {
            engine.start();   // starts the projections registered since the last start; idempotent
        }
    }

    private void warnAboutUnknownProjectionNames() {
        synchronized (this) {
            for (String key : properties.getProjections().keySet()) {
                if (!seen.contains(Settings.key(key))) {
                    LOG.warn("eventsource.projections.{} names no projection bean (names are compared in lower case without"
                            + " dashes; the beans' are {})", key, seen);
                }
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        close();
    }

    /**
     * Closes the engine on a thread of its own and runs {@code callback} when it is closed. If Spring's
     * {@code spring.lifecycle.timeout-per-shutdown-phase} runs out first, the context goes on to destroy
     * the engine bean, whose {@code close()} waits for this one: the drain is never cut short, it is
     * bounded by {@code eventsource.close-timeout}.
     */
    @Override
    public void stop(Runnable callback) {
        running = false;
        Thread closer = new Thread(() -> {
            try {
                close();
            } finally {
                callback.run();
            }
        }, "eventsource-shutdown");
        closer.setDaemon(true);
        closer.start();
    }

    private void close() {
        long began = System.nanoTime();
        engine.close();
        LOG.info("eventsource engine {} closed in {} ms", engine.instanceId(), (System.nanoTime() - began) / 1_000_000);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return properties.isAutoStart();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
