package dev.eventsource.processor.model;

import java.util.List;

/**
 * How the codec of an event type's current version reads its older stored versions: one step per
 * legacy version, oldest first, each reading the legacy class with its own codec and calling its
 * {@code @Upcast} method to reach the next version. A stored version N is read by the step for N and
 * passed through every later step.
 *
 * @param steps one per legacy version, consecutive, oldest first; never empty
 */
public record UpcastChain(List<Step> steps) {

    public UpcastChain {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("an upcast chain has at least one step");
        }
    }

    /** The oldest stored version the chain reads. */
    public int oldestVersion() {
        return steps.get(0).fromVersion();
    }

    /** The steps from {@code version} on: the upcasters an event stored at that version goes through. */
    public List<Step> from(int version) {
        return steps.subList(version - oldestVersion(), steps.size());
    }

    /**
     * One legacy version and its upcaster.
     *
     * @param fromVersion the legacy version
     * @param legacyType the legacy class
     * @param legacyCodec the legacy class's generated codec
     * @param upcasterOwner the class declaring the {@code @Upcast} method
     * @param upcaster the method's name
     */
    public record Step(int fromVersion, ClassRef legacyType, ClassRef legacyCodec, ClassRef upcasterOwner,
            String upcaster) {

        /** {@code Owner.method}, as messages and generated comments name it. */
        public String describe() {
            return upcasterOwner.simpleName() + "." + upcaster;
        }
    }
}
