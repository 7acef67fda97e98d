package dev.eventsource.internal;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Default instance ids: {@code <host name>:<pid>} for the first engine of a JVM that takes the
 * default, {@code <host name>:<pid>#2}, {@code #3}, ... for the next ones, so that two engines in one
 * JVM (on separate data sources, say) count as two instances. The host name comes from the
 * {@code HOSTNAME} or {@code COMPUTERNAME} environment variable (set by container runtimes, shells
 * and Windows), else from the local address, looked up once per JVM.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * String first = InstanceIds.next();    // "web-1:4711"
 * String second = InstanceIds.next();   // "web-1:4711#2"
 * }</pre>
 */
public final class InstanceIds {

    private static final AtomicInteger ENGINES = new AtomicInteger();

    private InstanceIds() {
    }

    /** The next default id of this JVM. */
    public static String next() {
        int n = ENGINES.incrementAndGet();
        String base = Host.NAME + ":" + ProcessHandle.current().pid();
        return n == 1 ? base : base + "#" + n;
    }

    /** Looked up on first use only. */
    private static final class Host {
        static final String NAME = lookUp();

        private static String lookUp() {
            for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
                String name = System.getenv(variable);
                if (name != null && !name.isBlank()) {
                    return name.strip();
                }
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return "localhost";
            }
        }
    }
}
