/**
 * The images of the local stack, each pinned to an exact tag so every engineer runs the same stack
 * and an upstream release never changes it unannounced.
 */
import { PINNED_DISTRIBUTION } from '../collector/distributions';

/** The collector: exactly the image production runs, so the config is read by the same build. */
export const LOCAL_COLLECTOR_IMAGE = PINNED_DISTRIBUTION.image;

/**
 * Jaeger v2 all-in-one (in-memory storage, OTLP on 4317/4318, UI on 16686). v1's
 * `jaegertracing/all-in-one` reached end of life on 2025-12-31.
 */
export const LOCAL_JAEGER_IMAGE = 'jaegertracing/jaeger:2.19.0';

/** Prometheus v3. */
export const LOCAL_PROMETHEUS_IMAGE = 'prom/prometheus:v3.13.1';
