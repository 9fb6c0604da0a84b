import { parseTracingEnvironment, tracingConfigured } from '@assent/config';

let sdk: { shutdown(): Promise<void> } | undefined;

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured, and otherwise
 * does nothing at all: the SDK is not even loaded (it takes more than half a second
 * to), no instrumentation patches anything, and BullMQ gets no telemetry.
 *
 * Must run before the instrumented modules (http, ioredis, pg) are first loaded,
 * which is why each process's main.ts imports its tracing.ts before anything else.
 */
export function startTracing(source: Record<string, string | undefined>, defaultServiceName: string): void {
  let env;
  try {
    env = parseTracingEnvironment(source);
  } catch {
    // main.ts's parseEnvironment reports it, with any other problem, and stops the process.
    return;
  }
  if (!tracingConfigured(env)) return;
  // A require, not an import: the SDK is loaded only when tracing is on (see above).
  const { startSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  sdk = startSdk(env, env.OTEL_SERVICE_NAME ?? defaultServiceName);
}

/** Whether this process exports traces: said in its start-up log line, and asked by what only tracing needs. */
export function tracingStarted(): boolean {
  return sdk !== undefined;
}

/** Exports the spans still buffered; the last step of a graceful shutdown. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
}
