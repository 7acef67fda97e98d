package dev.eventsource.internal.projection;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PartitionerTest {

    @Property
    void partitionIsInRangeAndDependsOnlyOnTheStreamId(@ForAll String streamId,
            @ForAll @IntRange(min = 1, max = 1024) int partitions) {
        int p = Partitioner.partition(streamId, partitions);
        assertThat(p).isBetween(0, partitions - 1);
        assertThat(Partitioner.partition(new String(streamId.toCharArray()), partitions)).isEqualTo(p);
    }

    @Property
    void onePartitionTakesEverything(@ForAll String streamId) {
        assertThat(Partitioner.partition(streamId, 1)).isZero();
    }

    @Property(tries = 30)
    void similarIdsSpreadEvenly(@ForAll @IntRange(min = 2, max = 16) int partitions,
            @ForAll("prefixes") String prefix) {
        int ids = 8_000;
        int[] counts = new int[partitions];
        for (int i = 0; i < ids; i++) {
            counts[Partitioner.partition(prefix + i, partitions)]++;
        }
        double mean = (double) ids / partitions;
        for (int count : counts) {
            assertThat((double) count).isBetween(mean * 0.8, mean * 1.2);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> prefixes() {
        return net.jqwik.api.Arbitraries.of("order_", "order-", "", "c", "customer/2024/", "\u00e9v\u00e9nement-");
    }

    @Example
    void routingIsStableAcrossReleases() {
        // Pinned values: changing the hash would move streams between partitions of existing checkpoints.
        assertThat(Partitioner.partition("order_1", 4)).isEqualTo(PINNED_ORDER_1_OF_4);
        assertThat(Partitioner.partition("order_2", 4)).isEqualTo(PINNED_ORDER_2_OF_4);
        assertThat(Partitioner.partition("", 8)).isEqualTo(PINNED_EMPTY_OF_8);
        assertThat(Partitioner.mix(0)).isZero();
        assertThat(Partitioner.mix(1)).isEqualTo(0x514E28B7);
    }

    private static final int PINNED_ORDER_1_OF_4 = 3;
    private static final int PINNED_ORDER_2_OF_4 = 0;
    private static final int PINNED_EMPTY_OF_8 = 0;
}
