package dev.eventsource.processor.model;

import java.util.List;

/**
 * The state of a snapshot-capable aggregate.
 *
 * @param fields every non-static, non-transient field of the class and its superclasses below
 *     {@code AggregateRoot}, superclass fields first, each in declaration order
 * @param canonical the text the fingerprint is computed from: the fields' shape, {@code |snapshotVersion:N} and,
 *     where javac's Trees API is available, {@code |apply:<hash of the @Apply methods>}
 * @param fingerprint 64-bit FNV-1a hash of {@code canonical} (UTF-8)
 */
public record SnapshotModel(List<FieldModel> fields, String canonical, long fingerprint) {

    public SnapshotModel {
        fields = List.copyOf(fields);
    }
}
