import { Attributes, Context, isSpanContextValid, Link, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  Sampler,
  SamplingDecision,
  SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import type { TracingEnvironment } from '@assent/config';

/**
 * OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG as the specification defines them,
 * behind RequestsAndJobsOnly. (Passing a sampler of our own makes the SDK skip these
 * variables, so they are read here.)
 */
export function samplerFor(env: Pick<TracingEnvironment, 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'>): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG);
  const configured: Record<TracingEnvironment['OTEL_TRACES_SAMPLER'], () => Sampler> = {
    always_on: () => new AlwaysOnSampler(),
    always_off: () => new AlwaysOffSampler(),
    traceidratio: ratio,
    parentbased_always_on: () => new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    parentbased_always_off: () => new ParentBasedSampler({ root: new AlwaysOffSampler() }),
    parentbased_traceidratio: () => new ParentBasedSampler({ root: ratio() }),
  };
  return new RequestsAndJobsOnly(configured[env.OTEL_TRACES_SAMPLER]());
}

/**
 * BullMQ traces its own housekeeping (fetching the next job, renewing locks, looking
 * for stalled jobs) every few seconds for every queue, each in a trace of its own, and
 * those would bury the sessions' traces. So a trace may begin only where work begins:
 * a request (SERVER) or a job (PRODUCER, CONSUMER). INTERNAL and CLIENT spans, BullMQ's
 * housekeeping and the Redis commands under it among them, are recorded only inside
 * a recorded span.
 */
export class RequestsAndJobsOnly implements Sampler {
  constructor(private readonly configured: Sampler) {}

  shouldSample(context: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const parent = trace.getSpanContext(context);
    const insideRecordedSpan = parent !== undefined && isSpanContextValid(parent) && (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
    if (!insideRecordedSpan && (kind === SpanKind.INTERNAL || kind === SpanKind.CLIENT)) return { decision: SamplingDecision.NOT_RECORD };
    return this.configured.shouldSample(context, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `RequestsAndJobsOnly{${this.configured.toString()}}`;
  }
}
