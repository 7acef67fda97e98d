package dev.eventsource.store;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default event store: everything in memory, thread-safe and fast. Ideal for tests, demos and
 * single-process applications whose history may be lost on exit.
 *
 * <pre>{@code
 * try (Engine engine = new Engine(new InMemoryStore())) {
 *     engine.registerAggregate(Order.class);
 *     engine.execute(Order.class, "order_1", new CreateOrder("order_1", "c_1", 99.99));
 * }
 * }</pre>
 *
 * <p>Events are kept as the serialized bytes the engine's generated codecs wrote, exactly as a
 * database store keeps them: nothing mutable is shared between writers and readers, and every test
 * on this store exercises the same codecs as production on PostgreSQL.
 *
 * <p>Threading model: appends to one stream are serialized by that stream's monitor; the global
 * position is assigned under one short global monitor, held only to number the events, store them
 * and publish the new head. Readers never lock: each stream's events and the global log (a chunked
 * array) are published through volatile fields written after the elements, so a reader that reads
 * the volatile size (or head) first sees every element below it. {@link #onAppend} listeners run on
 * the appending thread, after the append is visible. The (stream type, event type, version)
 * combinations ({@link StoredEventTypes}) are recorded under the stream's monitor before the events
 * are published, in concurrent sets that an append of known combinations only reads (no allocation).
 *
 * <p>Not final, so tests can subclass it to inject faults or add a role (for example a fake
 * {@link TransactionalCheckpoints}).
 */
public class InMemoryStore implements EventStore, CommandIds, StoredEventTypes {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryStore.class);

    private static final int CHUNK_BITS = 13;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;

    /** streamType -> streamId -> stream; two levels so a lookup allocates no composite key. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Stream>> streams = new ConcurrentHashMap<>();

    /** Guards position assignment and writes to {@link #chunks}. */
    private final Object logLock = new Object();
    /** The global log: position p lives at chunks[(p - 1) >> CHUNK_BITS][(p - 1) & CHUNK_MASK]. */
    private volatile StoredEvent[][] chunks = new StoredEvent[16][];
    /** Highest published position; written last, under {@link #logLock}. */
    private volatile long head;

    /** streamType -> eventType -> versions, for {@link #storedEventTypes()}; each stream holds its type's map. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Set<Integer>>> eventTypes = new ConcurrentHashMap<>();

    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Snapshot>> snapshots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, Long>> checkpoints = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentSkipListMap<Long, DeadLetter>> deadLetters = new ConcurrentHashMap<>();

    /** Creates an empty store. */
    public InMemoryStore() {
    }

    /** One stream's events; elements below {@link #size} are immutable once published. */
    private static final class Stream {
        volatile StoredEvent[] events = new StoredEvent[8];
        volatile long size;
        /**
         * The stream's command ids, as an open-addressing hash table: each non-zero slot holds the id's
         * hash in its high 32 bits and the version of the command's first event in its low 32 bits;
         * the id itself is read back from that event's metadata only when the hashes match. So
         * remembering a command costs eight bytes and no object, and a probe reads one array.
         * Guarded by the stream's monitor; made on the first command.
         */
        long[] commandSlots;
        int commands;
        /** The event types and versions stored under this stream's type (shared by every stream of the type). */
        final ConcurrentHashMap<String, Set<Integer>> eventTypes;

        Stream(ConcurrentHashMap<String, Set<Integer>> eventTypes) {
            this.eventTypes = eventTypes;
        }

        /** The version of the first event command {@code id} appended, or 0 (under the stream's monitor). */
        long commandVersion(String id) {
            long[] slots = commandSlots;
            if (slots == null) {
                return 0;
            }
            int hash = spread(id.hashCode());
            int mask = slots.length - 1;
            for (int i = hash & mask; ; i = (i + 1) & mask) {
                long slot = slots[i];
                if (slot == 0) {
                    return 0;
                }
                int version = (int) slot;
                if ((int) (slot >>> 32) == hash && id.equals(commandIdAt(version))) {
                    return version;
                }
            }
        }

        /** Remembers that the append starting at {@code version} has command {@code id} (under the stream's monitor). */
        void rememberCommand(String id, long version) {
            if (commandSlots == null) {
                commandSlots = new long[8];
            } else if ((commands + 1) * 2 > commandSlots.length) {
                long[] old = commandSlots;
                commandSlots = new long[old.length * 2];
                for (long slot : old) {
                    if (slot != 0) {
                        insert(slot);
                    }
                }
            }
            insert(((long) spread(id.hashCode()) << 32) | version);
            commands++;
        }

        private void insert(long slot) {
            int mask = commandSlots.length - 1;
            int i = (int) (slot >>> 32) & mask;
            while (commandSlots[i] != 0) {
                i = (i + 1) & mask;
            }
            commandSlots[i] = slot;
        }

        private String commandIdAt(int version) {
            return events[version - 1].metadata().get(METADATA_KEY);
        }

        private static int spread(int h) {
            return h ^ (h >>> 16);
        }
    }

    @Override
    public AppendResult append(String streamType, String streamId, long expectedVersion, List<NewEvent> events) {
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(events, "events");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expected version must not be negative: " + expectedVersion
                    + " for " + streamType + "/" + streamId);
        }
        int n = events.size();
        if (n == 0) {
            throw new IllegalArgumentException("nothing to append to " + streamType + "/" + streamId + ": events is empty");
        }
        Stream stream = streamFor(streamType, streamId);
        long first;
        synchronized (stream) {
            long version = stream.size;
            boolean commands = false;
            for (int i = 0; i < n; i++) {
                String commandId = CommandIds.startedBy(events, i);
                if (commandId != null) {
                    commands = true;
                    long earlier = stream.commandVersion(commandId);
                    if (earlier == 0 && i > 0 && startedEarlier(events, i, commandId)) {
                        earlier = -1;               // twice in this append
                    }
                    if (earlier != 0) {
                        throw new DuplicateCommandException(streamType, streamId, commandId, earlier);
                    }
                }
            }
            if (version != expectedVersion) {
                throw new ConcurrencyException(streamType, streamId, expectedVersion, version);
            }
            if (version + n > Integer.MAX_VALUE - 8) {
                throw new StoreException("stream " + streamType + "/" + streamId + " is full: the in-memory store keeps at most "
                        + (Integer.MAX_VALUE - 8) + " events per stream");
            }
            StoredEvent[] own = ensureCapacity(stream, (int) version + n);
            for (int i = 0; i < n; i++) {
                NewEvent e = events.get(i);
                Set<Integer> versions = stream.eventTypes.get(e.eventType());
                if (versions == null || !versions.contains(e.eventVersion())) {
                    stream.eventTypes.computeIfAbsent(e.eventType(), t -> ConcurrentHashMap.newKeySet()).add(e.eventVersion());
                }
            }
            synchronized (logLock) {
                first = head + 1;
                StoredEvent[][] dir = ensureLogCapacity(head + n);
                for (int i = 0; i < n; i++) {
                    NewEvent e = events.get(i);
                    long position = first + i;
                    StoredEvent stored = new StoredEvent(position, streamType, streamId, version + 1 + i, e.eventId(),
                            e.eventType(), e.eventVersion(), e.timestamp(), e.payload(), e.metadata());
                    dir[(int) ((position - 1) >>> CHUNK_BITS)][(int) ((position - 1) & CHUNK_MASK)] = stored;
                    own[(int) version + i] = stored;
                }
                head = first + n - 1;
            }
            stream.size = version + n;
            for (int i = 0; commands && i < n; i++) {
                String commandId = CommandIds.startedBy(events, i);
                if (commandId != null) {
                    stream.rememberCommand(commandId, version + 1 + i);
                }
            }
        }
        notifyListeners();
        return new AppendResult(expectedVersion + n, first, first + n - 1);
    }

    /** Whether an event before {@code i} of the append starts command {@code id} too. */
    private static boolean startedEarlier(List<NewEvent> events, int i, String id) {
        for (int j = 0; j < i; j++) {
            if (id.equals(CommandIds.startedBy(events, j))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long commandVersion(String streamType, String streamId, String commandId) {
        ConcurrentHashMap<String, Stream> ofType = streams.get(streamType);
        Stream stream = ofType == null ? null : ofType.get(streamId);
        if (stream == null) {
            return 0;
        }
        synchronized (stream) {
            return stream.commandVersion(commandId);
        }
    }

    private Stream streamFor(String streamType, String streamId) {
        ConcurrentHashMap<String, Stream> ofType = streams.get(streamType);
        if (ofType == null) {
            ConcurrentHashMap<String, Stream> fresh = new ConcurrentHashMap<>();
            ofType = streams.putIfAbsent(streamType, fresh);
            if (ofType == null) {
                ofType = fresh;
            }
        }
        Stream stream = ofType.get(streamId);
        if (stream == null) {
            Stream fresh = new Stream(eventTypes.computeIfAbsent(streamType, t -> new ConcurrentHashMap<>()));
            stream = ofType.putIfAbsent(streamId, fresh);
            if (stream == null) {
                stream = fresh;
            }
        }
        return stream;
    }

    /** Grows the stream's array (under the stream's monitor); the copy is published before new elements. */
    private static StoredEvent[] ensureCapacity(Stream stream, int needed) {
        StoredEvent[] current = stream.events;
        if (needed <= current.length) {
            return current;
        }
        int length = current.length;
        while (length < needed) {
            length = length > (Integer.MAX_VALUE >> 1) ? Integer.MAX_VALUE - 8 : length << 1;
        }
        StoredEvent[] grown = Arrays.copyOf(current, length);
        stream.events = grown;
        return grown;
    }

    /** Allocates chunks up to {@code lastPosition} (under {@link #logLock}). */
    private StoredEvent[][] ensureLogCapacity(long lastPosition) {
        StoredEvent[][] dir = chunks;
        int lastChunk = (int) ((lastPosition - 1) >>> CHUNK_BITS);
        if (lastChunk >= dir.length) {
            dir = Arrays.copyOf(dir, Math.max(dir.length << 1, lastChunk + 1));
        }
        boolean changed = dir != chunks;
        for (int c = lastChunk; c >= 0 && dir[c] == null; c--) {
            dir[c] = new StoredEvent[CHUNK_SIZE];
            changed = true;
        }
        if (changed) {
            chunks = dir;
        }
        return dir;
    }

    private void notifyListeners() {
        if (listeners.isEmpty()) {
            return;
        }
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // The append is committed: a listener's failure must not make the writer think otherwise.
                LOG.warn("onAppend listener {} failed; the append itself succeeded", listener, e);
            }
        }
    }

    @Override
    public long readStream(String streamType, String streamId, long afterVersion, Consumer<? super StoredEvent> sink) {
        Objects.requireNonNull(sink, "sink");
        if (afterVersion < 0) {
            throw new IllegalArgumentException("afterVersion must not be negative: " + afterVersion + " for " + streamType + "/" + streamId);
        }
        ConcurrentHashMap<String, Stream> ofType = streams.get(Objects.requireNonNull(streamType, "streamType"));
        Stream stream = ofType == null ? null : ofType.get(Objects.requireNonNull(streamId, "streamId"));
        if (stream == null) {
            return afterVersion;
        }
        long size = stream.size;
        if (size <= afterVersion) {
            return afterVersion;
        }
        StoredEvent[] events = stream.events;
        for (int i = (int) afterVersion; i < size; i++) {
            sink.accept(events[i]);
        }
        return size;
    }

    @Override
    public List<StoredEvent> readLog(long afterPosition, int limit) {
        if (afterPosition < 0) {
            throw new IllegalArgumentException("afterPosition must not be negative: " + afterPosition);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        long h = head;
        if (h <= afterPosition) {
            return List.of();
        }
        int n = (int) Math.min(limit, h - afterPosition);
        StoredEvent[][] dir = chunks;
        StoredEvent[] batch = new StoredEvent[n];
        long index = afterPosition;
        int i = 0;
        while (i < n) {
            StoredEvent[] chunk = dir[(int) (index >>> CHUNK_BITS)];
            int from = (int) (index & CHUNK_MASK);
            int count = Math.min(n - i, CHUNK_SIZE - from);
            System.arraycopy(chunk, from, batch, i, count);
            i += count;
            index += count;
        }
        return Collections.unmodifiableList(Arrays.asList(batch));
    }

    @Override
    public long headPosition() {
        return head;
    }

    /** {@inheritDoc} Reads the sets kept by appends; does not scan the log. */
    @Override
    public Set<StoredEventType> storedEventTypes() {
        Set<StoredEventType> all = new HashSet<>();
        eventTypes.forEach((streamType, ofType) -> ofType.forEach((eventType, versions) -> {
            for (int version : versions) {
                all.add(new StoredEventType(streamType, eventType, version));
            }
        }));
        return Set.copyOf(all);
    }

    @Override
    public AutoCloseable onAppend(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        snapshots.computeIfAbsent(snapshot.streamType(), t -> new ConcurrentHashMap<>())
                .merge(snapshot.streamId(), snapshot, InMemoryStore::newer);
    }

    private static Snapshot newer(Snapshot existing, Snapshot candidate) {
        return candidate.version() >= existing.version() ? candidate : existing;
    }

    @Override
    public Optional<Snapshot> loadSnapshot(String streamType, String streamId) {
        ConcurrentHashMap<String, Snapshot> ofType = snapshots.get(Objects.requireNonNull(streamType, "streamType"));
        return ofType == null ? Optional.empty() : Optional.ofNullable(ofType.get(Objects.requireNonNull(streamId, "streamId")));
    }

    @Override
    public Map<Integer, Long> loadCheckpoints(String projection) {
        ConcurrentHashMap<Integer, Long> of = checkpoints.get(Objects.requireNonNull(projection, "projection"));
        return of == null ? Map.of() : Map.copyOf(of);
    }

    @Override
    public void saveCheckpoint(String projection, int partition, long position) {
        Objects.requireNonNull(projection, "projection");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative: " + partition + " for projection " + projection);
        }
        if (position < 0) {
            throw new IllegalArgumentException("checkpoint position must not be negative: " + position + " for projection "
                    + projection + " partition " + partition);
        }
        // Monotonic (see CheckpointStore): a slower engine running the same projection never moves it back.
        checkpoints.computeIfAbsent(projection, p -> new ConcurrentHashMap<>()).merge(partition, position, Math::max);
    }

    @Override
    public void deleteCheckpoints(String projection) {
        checkpoints.remove(Objects.requireNonNull(projection, "projection"));
    }

    @Override
    public void saveDeadLetter(DeadLetter deadLetter) {
        Objects.requireNonNull(deadLetter, "deadLetter");
        deadLetters.computeIfAbsent(deadLetter.projection(), p -> new ConcurrentSkipListMap<>())
                .put(deadLetter.globalPosition(), deadLetter);
    }

    @Override
    public List<DeadLetter> loadDeadLetters(String projection) {
        ConcurrentSkipListMap<Long, DeadLetter> of = deadLetters.get(Objects.requireNonNull(projection, "projection"));
        return of == null ? List.of() : List.copyOf(of.values());
    }

    @Override
    public boolean deleteDeadLetter(String projection, long globalPosition) {
        ConcurrentSkipListMap<Long, DeadLetter> of = deadLetters.get(Objects.requireNonNull(projection, "projection"));
        return of != null && of.remove(globalPosition) != null;
    }

    @Override
    public String toString() {
        return "InMemoryStore[head=" + head + "]";
    }
}
