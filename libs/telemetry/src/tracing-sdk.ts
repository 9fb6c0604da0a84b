import type { IncomingMessage } from 'node:http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';
import type { TracingEnvironment } from '@assent/config';
import { samplerFor } from './sampler';

/**
 * The SDK with the few instrumentations a session's trace needs. The exporter, its
 * protocol, headers and batching come from the standard OTEL_* variables, which the
 * SDK reads itself; the sampler is built here (see sampler.ts for why).
 */
export function startSdk(env: TracingEnvironment, serviceName: string): NodeSDK {
  const sdk = new NodeSDK({
    serviceName,
    sampler: samplerFor(env),
    // Traces only: metrics are Prometheus's (/metrics) and logs are pino's, on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // The only outgoing calls are web pushes and Enfuce callbacks, which get spans of
        // their own that record what is safe to (a push endpoint's URL is a capability),
        // and no trace headers are sent to those outside parties.
        disableOutgoingRequestInstrumentation: true,
        // Probes and scrapes every few seconds would bury the sessions' traces.
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)(\/|\?|$)/.test(request.url ?? ''),
        // A query string can carry a secret (the cardholder app's /app/activate?code=…),
        // and the instrumentation redacts only the parameter names it knows.
        requestHook: (span, request) => {
          if ((request as IncomingMessage).url?.includes('?')) span.setAttribute(ATTR_URL_QUERY, '[redacted]');
        },
      }),
      // Only inside a request's or a job's span, and only the command's name: the
      // arguments are session data, and BullMQ polls Redis all the time.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
      // The SQL text only (every query is parameterised), never its values.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true, enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  return sdk;
}
