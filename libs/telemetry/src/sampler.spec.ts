import { Context, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { samplerFor } from './sampler';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function inside(flags: TraceFlags): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: flags, isRemote: true });
}

function decision(sampler: ReturnType<typeof samplerFor>, context: Context, kind: SpanKind): SamplingDecision {
  return sampler.shouldSample(context, TRACE_ID, 'span', kind, {}, []).decision;
}

describe('the trace sampler', () => {
  const everything = samplerFor({ OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTEL_TRACES_SAMPLER_ARG: 1 });

  it('begins a trace with a request or a job', () => {
    for (const kind of [SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
      expect(decision(everything, ROOT_CONTEXT, kind)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    }
  });

  it('never begins one with background work: BullMQ’s housekeeping, or a Redis command outside any request', () => {
    expect(decision(everything, ROOT_CONTEXT, SpanKind.INTERNAL)).toBe(SamplingDecision.NOT_RECORD);
    expect(decision(everything, ROOT_CONTEXT, SpanKind.CLIENT)).toBe(SamplingDecision.NOT_RECORD);
  });

  it('records internal and client spans inside a recorded span', () => {
    expect(decision(everything, inside(TraceFlags.SAMPLED), SpanKind.INTERNAL)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decision(everything, inside(TraceFlags.SAMPLED), SpanKind.CLIENT)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('records nothing under a span that was not, even with a sampler that ignores parents', () => {
    const always = samplerFor({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: 1 });
    expect(decision(always, inside(TraceFlags.NONE), SpanKind.INTERNAL)).toBe(SamplingDecision.NOT_RECORD);
    expect(decision(always, inside(TraceFlags.NONE), SpanKind.SERVER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('applies OTEL_TRACES_SAMPLER_ARG to new traces and follows the parent’s decision inside one', () => {
    const none = samplerFor({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 0 });
    expect(decision(none, ROOT_CONTEXT, SpanKind.SERVER)).toBe(SamplingDecision.NOT_RECORD);
    expect(decision(none, inside(TraceFlags.SAMPLED), SpanKind.CONSUMER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('records nothing with always_off', () => {
    const off = samplerFor({ OTEL_TRACES_SAMPLER: 'always_off', OTEL_TRACES_SAMPLER_ARG: 1 });
    expect(decision(off, ROOT_CONTEXT, SpanKind.SERVER)).toBe(SamplingDecision.NOT_RECORD);
  });
});
