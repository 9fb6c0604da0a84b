import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { SandboxEnvironment } from '@assent/config';
import { maskCardNumber } from '@assent/domain';
import { BoundedMap, KEPT_PER_PARTY } from '../common/bounded-map';
import { callHttp } from '../common/http-client';
import { THREE_DS_SERVER_API_KEY } from '../common/sandbox-credentials';
import { PurchaseTrace } from '../trace/purchase-trace';
import { ARes, areqErro, areqSchema, ERROR_CODES, Erro, erro, RReq } from './messages';

export type ServerAnswer = { status: number; body: ARes | RReq | Erro };

interface Transaction {
  ares: ARes;
  rreq?: RReq;
}

const postauthSchema = z.looseObject({ threeDSServerTransID: z.uuid() });


/**
 * The 3-D Secure server of seed 001 (3dsecure.io): `/auth` takes an AReq from a
 * merchant's gateway, asks the directory server over HTTP — giving it 10 s, after
 * which the answer is the documented `Erro` 405 — and returns the ARes;
 * `/postauth` returns the RReq of a finished challenge.
 */
export class ThreeDsServer {
  private readonly transactions = new BoundedMap<string, Transaction>(KEPT_PER_PARTY);

  constructor(
    private readonly env: SandboxEnvironment,
    private readonly trace: PurchaseTrace,
    private readonly log: FastifyBaseLogger,
  ) {}

  async auth(apiKey: string | undefined, body: unknown): Promise<ServerAnswer> {
    if (apiKey !== THREE_DS_SERVER_API_KEY) return { status: 403, body: erro(ERROR_CODES.accessDenied, 'APIKey', { errorMessageType: 'AReq' }) };
    const parsed = areqSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: areqErro(body, parsed.error.issues) };

    const threeDSServerTransID = randomUUID();
    const areq = { ...parsed.data, messageType: 'AReq' as const, threeDSServerTransID, threeDSServerRefNumber: 'sandbox-3ds-server', threeDSServerOperatorID: 'sandbox' };
    this.trace.record(threeDSServerTransID, '3ds-server', `AReq (purchaseAmount ${areq.purchaseAmount}, currency ${areq.purchaseCurrency}, card ${maskCardNumber(areq.acctNumber)}) to the directory server`);
    const answer = await callHttp<ARes | Erro>(`${this.env.SANDBOX_PUBLIC_URL}/directory-server/areq`, { body: areq, timeoutMs: this.env.SANDBOX_DS_TIMEOUT_MS });
    const context = { messageVersion: areq.messageVersion, errorMessageType: 'AReq', threeDSServerTransID };
    if (!answer.ok || answer.body?.messageType !== 'ARes') {
      const detail = answer.ok || answer.status !== undefined ? 'Invalid response' : answer.error?.startsWith('no answer') ? 'Connection timeout' : 'Connection failure';
      this.trace.record(threeDSServerTransID, '3ds-server', `Directory server: ${detail}; Erro 405 to the merchant`, 'fail');
      this.log.warn({ threeDSServerTransID, detail }, 'Directory server did not answer an AReq');
      return { status: answer.status === undefined ? 504 : 502, body: erro(ERROR_CODES.systemConnectionFailure, detail, context) };
    }
    const ares = answer.body;
    this.transactions.set(threeDSServerTransID, { ares });
    this.trace.record(threeDSServerTransID, '3ds-server', `ARes transStatus ${ares.transStatus}${ares.transStatus === 'C' ? ' (challenge, out of band)' : ''}`);
    return { status: 200, body: ares };
  }

  async postauth(apiKey: string | undefined, body: unknown): Promise<ServerAnswer> {
    if (apiKey !== THREE_DS_SERVER_API_KEY) return { status: 403, body: erro(ERROR_CODES.accessDenied, 'APIKey') };
    const parsed = postauthSchema.safeParse(body);
    if (!parsed.success) {
      const missing = (body as Record<string, unknown> | undefined)?.threeDSServerTransID === undefined;
      return { status: 400, body: erro(missing ? ERROR_CODES.requiredElementMissing : ERROR_CODES.invalidFormat, 'threeDSServerTransID') };
    }
    const { threeDSServerTransID } = parsed.data;
    const transaction = this.transactions.get(threeDSServerTransID.toLowerCase());
    if (!transaction) {
      return { status: 400, body: erro(ERROR_CODES.unknownTransaction, 'Unknown threeDSServerTransID', { threeDSServerTransID }) };
    }
    if (!transaction.rreq) {
      return {
        status: 400,
        body: erro(ERROR_CODES.transactionDataNotValid, 'No RReq received for this transaction yet: the challenge has not finished', { threeDSServerTransID }),
      };
    }
    return { status: 200, body: transaction.rreq };
  }

  /** The RReq the ACS sends through the directory server when a challenge ends. */
  receiveResult(rreq: RReq): void {
    const transaction = this.transactions.get(rreq.threeDSServerTransID);
    if (!transaction) {
      this.log.warn({ threeDSServerTransID: rreq.threeDSServerTransID }, 'RReq for an unknown transaction');
      return;
    }
    transaction.rreq = rreq;
    this.trace.record(rreq.threeDSServerTransID, '3ds-server', `RReq received: transStatus ${rreq.transStatus}`);
  }
}
