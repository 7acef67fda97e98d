/**
 * Immutable records read from source elements: what the writers generate code from. Besides the
 * originating elements they carry, nothing here refers back to {@code javax.lang.model}; and nothing
 * here knows the code generator: classes are plain {@link dev.eventsource.processor.model.ClassRef}
 * names, and how a type is read, written or declared in generated code is the writer's business
 * (ModelBoundaryTest checks that no class here refers to JavaPoet).
 */
package dev.eventsource.processor.model;
