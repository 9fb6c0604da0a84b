import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AssentError, ErrorKind, parseOrReject } from '@assent/domain';
import { AuditContext } from '../../common/request-context';
import { DeviceRevocation } from '../../device/device-revocation.service';
import { EnrollmentService } from '../../enrollment/enrollment.service';
import { CardholderDetail, CardholderSummary, DeviceView, EnrollmentCode, Page } from '../admin-api.types';
import { Conditions, cursorSchema, decodeCursor, limitSchema, pageOf, prefixPattern } from '../pagination';

const customerNumber = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');

const searchSchema = z.object({
  q: z.string().trim().regex(/^[A-Za-z0-9_-]{0,64}$/, 'must be the start of a customer number').optional(),
  cursor: cursorSchema,
  limit: limitSchema,
});

const customerParamsSchema = z.object({ customerNumber });
const deviceParamsSchema = z.object({ deviceId: z.uuid({ error: 'must be a UUID' }) });
const enrollmentSchema = z.object({ displayName: z.string().trim().min(1).max(100).optional() });

/** What the dashboard shows the issuer's staff about a cardholder, and the two things an operator may do. */
@Injectable()
export class CardholdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly revocation: DeviceRevocation,
    private readonly enrollments: EnrollmentService,
  ) {}

  /** Cardholders whose customer number starts with `q`, in customer-number order. */
  async search(query: unknown): Promise<Page<CardholderSummary>> {
    const filter = parseOrReject(searchSchema, query, '$.query');
    const where = new Conditions();
    if (filter.q) where.add((p) => `c.customer_number LIKE ${p(prefixPattern(filter.q!))}`);
    if (filter.cursor) where.add((p) => `c.customer_number > ${p(String(decodeCursor(filter.cursor!)[0]))}`);
    const rows: DbCardholder[] = await this.dataSource.query(
      `SELECT c.customer_number, c.display_name, c.created_at,
         (SELECT count(*) FROM devices d WHERE d.cardholder_id = c.id AND d.status = 'active')::int AS active_devices
       FROM cardholders c ${where.where()}
       ORDER BY c.customer_number LIMIT ${where.param(filter.limit + 1)}`,
      where.values,
    );
    return pageOf(rows, filter.limit, summaryOf, (row) => [row.customer_number]);
  }

  async detail(params: unknown): Promise<CardholderDetail> {
    const { customerNumber } = parseOrReject(customerParamsSchema, params, '$.path');
    const [cardholder]: (DbCardholder & { id: string })[] = await this.dataSource.query(
      `SELECT c.id, c.customer_number, c.display_name, c.created_at,
         (SELECT count(*) FROM devices d WHERE d.cardholder_id = c.id AND d.status = 'active')::int AS active_devices
       FROM cardholders c WHERE c.customer_number = $1`,
      [customerNumber],
    );
    if (!cardholder) throw new AssentError(ErrorKind.NotFound, 'CARDHOLDER_NOT_FOUND', `No cardholder ${customerNumber}`);
    const [devices, enrollments] = await Promise.all([
      this.dataSource.query(
        `SELECT id, name, status, push_status, created_at, last_used_at, revoked_at FROM devices
         WHERE cardholder_id = $1 ORDER BY created_at DESC LIMIT 100`,
        [cardholder.id],
      ),
      this.dataSource.query(
        `SELECT created_at, expires_at, used_at FROM enrollments WHERE cardholder_id = $1 ORDER BY created_at DESC LIMIT 10`,
        [cardholder.id],
      ),
    ]);
    return {
      ...summaryOf(cardholder),
      devices: devices.map(deviceOf),
      enrollments: enrollments.map((row: { created_at: Date; expires_at: Date; used_at: Date | null }) => ({
        createdAt: row.created_at.toISOString(),
        expiresAt: row.expires_at.toISOString(),
        usedAt: row.used_at?.toISOString() ?? null,
      })),
    };
  }

  async revokeDevice(params: unknown, context: AuditContext): Promise<DeviceView> {
    const { deviceId } = parseOrReject(deviceParamsSchema, params, '$.path');
    const [device] = await this.dataSource.query(
      `SELECT d.id, d.status, c.customer_number FROM devices d JOIN cardholders c ON c.id = d.cardholder_id WHERE d.id = $1`,
      [deviceId],
    );
    if (!device) throw new AssentError(ErrorKind.NotFound, 'DEVICE_NOT_FOUND', 'No such device');
    const revoked = await this.revocation.revoke({ deviceId, customerNumber: device.customer_number }, context);
    if (!revoked) throw new AssentError(ErrorKind.Conflict, 'DEVICE_ALREADY_REVOKED', 'This device was revoked already');
    const [row] = await this.dataSource.query(`SELECT id, name, status, push_status, created_at, last_used_at, revoked_at FROM devices WHERE id = $1`, [deviceId]);
    return deviceOf(row);
  }

  /** The issuer's own enrollment, started by an operator: the link, and a QR code of it for a phone's camera. */
  async createEnrollment(params: unknown, body: unknown, context: AuditContext): Promise<EnrollmentCode> {
    const { customerNumber } = parseOrReject(customerParamsSchema, params, '$.path');
    const { displayName } = parseOrReject(enrollmentSchema, body ?? {});
    const enrollment = await this.enrollments.create({ customerNumber, displayName }, context);
    const qrCodeSvg = await QRCode.toString(enrollment.activationUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { ...enrollment, qrCodeSvg };
  }
}

interface DbCardholder {
  customer_number: string;
  display_name: string | null;
  created_at: Date;
  active_devices: number;
}

function summaryOf(row: DbCardholder): CardholderSummary {
  return { customerNumber: row.customer_number, displayName: row.display_name, activeDevices: row.active_devices, createdAt: row.created_at.toISOString() };
}

function deviceOf(row: {
  id: string;
  name: string;
  status: 'active' | 'revoked';
  push_status: 'active' | 'none' | 'expired';
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): DeviceView {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    mode: row.push_status === 'active' ? 'push' : 'poll',
    pushStatus: row.push_status,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
