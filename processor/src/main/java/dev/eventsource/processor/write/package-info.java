/**
 * Model to code: JavaPoet writers for codecs and descriptors, and the service index. Writers never
 * inspect source elements beyond passing them on as originating elements.
 */
package dev.eventsource.processor.write;
