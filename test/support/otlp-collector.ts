/**
 * A stand-in for an OpenTelemetry collector in end-to-end tests: it takes OTLP/HTTP
 * trace exports in their JSON encoding (POST /v1/traces, what the SDK sends with
 * OTEL_EXPORTER_OTLP_PROTOCOL=http/json), answers as a collector does, and keeps every
 * span, flattened, with the raw bodies for tests that search them for secrets.
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SpanKindName = 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';

export interface ExportedSpan {
  /** service.name of the process that exported it. */
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKindName;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

// OTLP's SpanKind numbering (0 is "unspecified").
const KINDS: Record<number, SpanKindName> = { 1: 'INTERNAL', 2: 'SERVER', 3: 'CLIENT', 4: 'PRODUCER', 5: 'CONSUMER' };

interface OtlpValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}

export class OtlpCollectorStandIn {
  readonly spans: ExportedSpan[] = [];
  /** Every request body as received, whatever its path. */
  readonly bodies: string[] = [];

  private constructor(
    private readonly server: Server,
    /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to; the SDK adds /v1/traces. */
    readonly url: string,
  ) {}

  /** `port` 4318 is the SDK's default endpoint, for a test that a process exports nothing even there. */
  static async start(port = 0): Promise<OtlpCollectorStandIn> {
    let standIn: OtlpCollectorStandIn | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        standIn!.bodies.push(body);
        if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
          res.writeHead(404).end();
          return;
        }
        standIn!.spans.push(...flatten(JSON.parse(body)));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    // Both loopback families, as the SDK's default endpoint says "localhost".
    await new Promise<void>((resolve) => server.listen(port, '::', resolve));
    const { port: bound } = server.address() as AddressInfo;
    standIn = new OtlpCollectorStandIn(server, `http://localhost:${bound}`);
    return standIn;
  }

  /** Waits until `done` holds for the spans received so far; fails with a summary of them otherwise. */
  async waitFor(done: (spans: ExportedSpan[]) => boolean, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.spans)) {
      if (Date.now() > deadline) {
        const seen = this.spans.map((span) => `${span.service} ${span.kind} ${span.name}`).join('\n  ');
        throw new Error(`The expected spans did not arrive within ${timeoutMs} ms; received:\n  ${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function flatten(request: {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: Record<string, any>[] }[] }[];
}): ExportedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans) =>
      (scopeSpans.spans ?? []).map((span) => ({
        service,
        traceId: hexId(span.traceId),
        spanId: hexId(span.spanId),
        parentSpanId: span.parentSpanId ? hexId(span.parentSpanId) : undefined,
        name: span.name,
        kind: KINDS[span.kind],
        attributes: attributesOf(span.attributes),
        links: (span.links ?? []).map((link: { traceId: string; spanId: string }) => ({ traceId: hexId(link.traceId), spanId: hexId(link.spanId) })),
        statusCode: span.status?.code ?? 0,
      })),
    );
  });
}

function attributesOf(list: OtlpKeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, valueOf(value)]));
}

function valueOf(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

/** OTLP/JSON spells ids in hex; some encoders use base64, as the protobuf mapping would. */
function hexId(id: string): string {
  return /^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}
