import {
  Attributes,
  context,
  Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  Span,
  SpanOptions,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { getRPCMetadata, RPCType, W3CTraceContextPropagator } from '@opentelemetry/core';

// Everything here is cheap when tracing is off: the API's tracer and context are
// no-ops until the SDK registers itself, so no span is made and nothing is kept.

/** The attributes that tie a span to an authentication session (docs/operations.md, "Tracing"). */
export const SessionAttribute = {
  SessionId: 'assent.session_id',
  CustomerNumber: 'assent.customer_number',
  DeviceId: 'assent.device_id',
  Decision: 'assent.decision',
  Result: 'assent.result',
  CallbackAttempt: 'assent.callback.attempt',
  PushService: 'assent.push.service',
  PushOutcome: 'assent.push.outcome',
} as const;

const tracer = trace.getTracer('assent');
// The session's stored trace context is always W3C's traceparent, whatever
// OTEL_PROPAGATORS the deployment uses between services.
const w3c = new W3CTraceContextPropagator();

/** The attributes of a session's spans; the customer number when it is known. */
export function sessionAttributes(sessionId: string, customerNumber?: string): Attributes {
  return { [SessionAttribute.SessionId]: sessionId, [SessionAttribute.CustomerNumber]: customerNumber };
}

/** Adds attributes to the span of the request or job in hand. */
export function annotateActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** The request's route pattern, which names its server span ("POST /v1/authenticate/:customerNumber/:sessionId"). */
export function recordHttpRoute(route: string | undefined): void {
  const request = getRPCMetadata(context.active());
  if (route && request?.type === RPCType.HTTP) request.route = route;
}

/** The W3C traceparent of the span in hand, for continuing its trace later; undefined when nothing is traced. */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(context.active(), carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

/** Runs `work` in a new span, under `parent`; a thrown error marks the span failed, and the span always ends. */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>, parent: Context = context.active()): Promise<T> {
  return tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `work` as a step of the session whose webhook's trace context is `traceparent`.
 * The cardholder's decision comes from the phone, as a request of its own in a trace
 * of its own; its work continues the session's trace instead, as a child of the
 * webhook, and links back to that request. Without a stored context (a session taken
 * in while tracing was off) it stays in the request's trace.
 */
export function inSessionTrace<T>(traceparent: string | undefined, name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  if (!traceparent) return inSpan(name, { attributes }, work);
  const request = trace.getActiveSpan()?.spanContext();
  const session = w3c.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
  return inSpan(name, { attributes, links: request ? [{ context: request }] : [] }, work, session);
}
