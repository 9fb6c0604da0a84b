import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { ENVIRONMENT, Environment } from '@assent/config';
import { ApprovalProof, AssentError, ErrorKind, parseOrReject } from '@assent/domain';
import { ApprovalToken, AuditEventType, AuditLog, Device } from '@assent/persistence';
import type { StoredSession } from '@assent/sessions';
import { derivedSecret, hashSecret } from '../common/secrets';
import { AuditContext } from '../common/request-context';
import { sessionIdSchema } from '../device/device.schemas';

/** What the approving device gets in its decision answer. */
export interface IssuedApprovalToken {
  token: string;
  expiresAt: string;
}

/** What the issuer's backend gets for a session. */
export interface SessionApprovalToken extends IssuedApprovalToken {
  sessionId: string;
  customerNumber: string;
  deviceId: string;
  issuedAt: string;
  status: 'valid' | 'expired' | 'revoked';
}

/**
 * Approval tokens: proof that a cardholder approved a session. A token is a random
 * reference, not a signed claim set: a reference is opaque by construction (a JWS
 * would show its payload, a JWE would need key management for nothing), and every
 * check, revocation included, is a lookup that one row answers. It is derived from
 * the row's random id with APPROVAL_TOKEN_SECRET, so Postgres holds only its hash
 * and the issuer API can still hand it out again.
 */
@Injectable()
export class ApprovalTokens {
  constructor(
    @InjectRepository(ApprovalToken) private readonly tokens: Repository<ApprovalToken>,
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly audit: AuditLog,
  ) {}

  /** Mints the token of a session that `deviceId` has just approved. */
  async mint(session: StoredSession, deviceId: string, context: AuditContext): Promise<IssuedApprovalToken> {
    const id = randomUUID();
    const token = this.tokenOf(id);
    const issuedAt = new Date();
    const expiresAt = new Date(issuedAt.getTime() + this.env.APPROVAL_TOKEN_TTL_SECONDS * 1000);
    await this.tokens.insert({
      id,
      tokenHash: hashSecret(token),
      sessionId: session.sessionId,
      customerNumber: session.customerNumber,
      amount: session.transaction.amount,
      currency: session.transaction.currency,
      merchantName: session.merchant.name,
      deviceId,
      issuedAt,
      expiresAt,
    });
    this.audit.recordInBackground({
      type: AuditEventType.ApprovalTokenIssued,
      customerNumber: session.customerNumber,
      sessionId: session.sessionId,
      deviceId,
      ...context,
      details: { expiresAt: expiresAt.toISOString() },
    });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  /** The issuer's backend fetches the token of an approved session (404 when the session has none). */
  async ofSession(params: unknown, context: AuditContext): Promise<SessionApprovalToken> {
    const { sessionId } = parseOrReject(sessionIdSchema, params, '$.path');
    const row = await this.tokens.findOneBy({ sessionId: sessionId.toLowerCase() });
    if (!row) throw new AssentError(ErrorKind.NotFound, 'APPROVAL_TOKEN_NOT_FOUND', 'This session has no approval token: it was not approved, or is unknown');
    const proof = await this.proofFrom(row);
    await this.audit.record({
      type: AuditEventType.ApprovalTokenRetrieved,
      customerNumber: row.customerNumber,
      sessionId: row.sessionId,
      deviceId: row.deviceId,
      ...context,
    });
    return {
      sessionId: row.sessionId,
      customerNumber: row.customerNumber,
      deviceId: row.deviceId,
      token: this.tokenOf(row.id),
      issuedAt: row.issuedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      status: !proof.deviceActive ? 'revoked' : Date.now() >= proof.expiresAt ? 'expired' : 'valid',
    };
  }

  /** What a presented token proves, with its row; null when it is not one of ours (or was altered). */
  async find(token: string): Promise<{ row: ApprovalToken; proof: ApprovalProof } | null> {
    const row = await this.tokens.findOneBy({ tokenHash: hashSecret(token) });
    return row && { row, proof: await this.proofFrom(row) };
  }

  // Revocation is read from the device at every check, not copied onto its tokens:
  // every path that revokes a device (the cardholder's DELETE /api/v1/device today,
  // an admin tomorrow) must mark the device revoked for its bearer token to stop
  // working, and that same mark ends its approval tokens, with nothing else to remember.
  private async proofFrom(row: ApprovalToken): Promise<ApprovalProof> {
    const device = await this.devices.findOneBy({ id: row.deviceId });
    return {
      sessionId: row.sessionId,
      customerNumber: row.customerNumber,
      amount: row.amount,
      currency: row.currency,
      merchantName: row.merchantName,
      expiresAt: row.expiresAt.getTime(),
      deviceActive: device?.status === 'active',
    };
  }

  private tokenOf(id: string): string {
    return derivedSecret('apt', this.env.APPROVAL_TOKEN_SECRET, id);
  }
}
