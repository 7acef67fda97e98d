package dev.eventsource;

/**
 * {@link SequencingTest}'s checks with {@code combineQueuedCommands(true)}: the queued commands run on
 * the thread that holds the aggregate, and every answer, append and order is the same.
 */
class CombinedSequencingTest extends SequencingTest {

    @Override
    boolean combine() {
        return true;
    }
}
