/**
 * Immutable records read from source elements: what the writers generate code from. Besides the
 * originating elements they carry, nothing here refers back to {@code javax.lang.model}.
 */
package dev.eventsource.processor.model;
