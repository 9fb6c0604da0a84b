import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ENVIRONMENT, Environment } from '@assent/config';
import { parseOrReject } from '@assent/domain';
import { AuditEventType, AuditLog, Cardholder, Enrollment } from '@assent/persistence';
import { AuditContext } from '../common/request-context';
import { hashSecret, newSecret } from '../common/secrets';

const enrollmentRequestSchema = z.object({
  customerNumber: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
  displayName: z.string().trim().min(1).max(100).optional(),
});

export interface CreatedEnrollment {
  activationCode: string;
  activationUrl: string;
  expiresAt: string;
}

@Injectable()
export class EnrollmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly audit: AuditLog,
  ) {}

  /** Creates the cardholder when new, and a single-use activation code that expires. */
  async create(body: unknown, context: AuditContext): Promise<CreatedEnrollment> {
    const request = parseOrReject(enrollmentRequestSchema, body);
    const activationCode = newSecret('ac');
    const expiresAt = new Date(Date.now() + this.env.ACTIVATION_CODE_TTL_SECONDS * 1000);
    await this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(Cardholder)
        .values({ customerNumber: request.customerNumber, displayName: request.displayName ?? null })
        .orUpdate(request.displayName ? ['display_name', 'updated_at'] : ['updated_at'], ['customer_number'])
        .execute();
      const cardholder = await manager.findOneByOrFail(Cardholder, { customerNumber: request.customerNumber });
      await manager.insert(Enrollment, { cardholderId: cardholder.id, codeHash: hashSecret(activationCode), expiresAt });
    });
    await this.audit.record({
      type: AuditEventType.EnrollmentCreated,
      customerNumber: request.customerNumber,
      ...context,
      details: { expiresAt: expiresAt.toISOString() },
    });
    const activationUrl = new URL('/app/activate', this.env.PUBLIC_BASE_URL);
    activationUrl.searchParams.set('code', activationCode);
    return { activationCode, activationUrl: activationUrl.toString(), expiresAt: expiresAt.toISOString() };
  }
}
