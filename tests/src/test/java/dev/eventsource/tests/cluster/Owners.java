package dev.eventsource.tests.cluster;

import dev.eventsource.store.Lease;
import dev.eventsource.store.PartitionLeases;
import java.util.Map;
import java.util.TreeMap;

/** Who owns which partition of the {@link LedgerTable}, as the store's lease rows say: for the cluster tests. */
final class Owners {

    private Owners() {
    }

    /** The live owner of each partition that has one, by partition. */
    static Map<Integer, String> of(PartitionLeases store) {
        Map<Integer, String> owners = new TreeMap<>();
        for (Lease lease : store.leases(LedgerTable.NAME)) {
            if (lease.owner() != null) {
                owners.put(lease.partition(), lease.owner());
            }
        }
        return owners;
    }

    /** How many partitions each owner holds. */
    static Map<String, Integer> counts(Map<Integer, String> owners) {
        Map<String, Integer> counts = new TreeMap<>();
        owners.values().forEach(o -> counts.merge(o, 1, Integer::sum));
        return counts;
    }
}
