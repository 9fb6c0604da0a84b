import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { z } from 'zod';
import { AssentError, ErrorKind, parseOrReject } from '@assent/domain';
import { ADMIN_ROLES, AdminRole, AdminUser, AuditEventType, AuditLog } from '@assent/persistence';
import { AuditContext } from '../../common/request-context';
import { AdminUserView } from '../admin-api.types';
import { hashPassword, passwordSchema } from '../auth/password';

const roleSchema = z.enum(ADMIN_ROLES as [AdminRole, ...AdminRole[]]);

export const newAdminUserSchema = z.object({
  email: z.email({ error: 'must be an email address' }).max(254).transform((email) => email.toLowerCase()),
  role: roleSchema,
  password: passwordSchema,
});

const changeSchema = z
  .object({ role: roleSchema.optional(), disabled: z.boolean().optional(), unlock: z.literal(true).optional() })
  .refine((change) => Object.keys(change).length > 0, 'name at least one of role, disabled, unlock');

const idSchema = z.object({ userId: z.uuid({ error: 'must be a UUID' }) });

/** Admin users, created by `npm run admin:create` or by an admin from the dashboard; every change audited. */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectRepository(AdminUser) private readonly users: Repository<AdminUser>,
    private readonly audit: AuditLog,
  ) {}

  async list(): Promise<AdminUserView[]> {
    // Staff accounts number in the tens: one page holds them all.
    const users = await this.users.find({ order: { email: 'ASC' }, take: 500 });
    return users.map(viewOf);
  }

  async create(body: unknown, context: Partial<AuditContext>): Promise<AdminUserView> {
    const input = parseOrReject(newAdminUserSchema, body);
    if (await this.users.existsBy({ email: input.email })) {
      throw new AssentError(ErrorKind.Conflict, 'ADMIN_USER_EXISTS', `An admin user ${input.email} exists already`, '$.email');
    }
    const user = await this.users.save(this.users.create({ email: input.email, role: input.role, passwordHash: await hashPassword(input.password) }));
    await this.audit.record({ type: AuditEventType.AdminUserCreated, ...context, details: { email: user.email, role: user.role } });
    return viewOf(user);
  }

  /** Changes a role, disables or enables, or unlocks; an admin cannot lower or disable their own account (and so lock everyone out). */
  async change(params: unknown, body: unknown, context: AuditContext): Promise<AdminUserView> {
    const { userId } = parseOrReject(idSchema, params, '$.path');
    const change = parseOrReject(changeSchema, body);
    const user = await this.users.findOneBy({ id: userId });
    if (!user) throw new AssentError(ErrorKind.NotFound, 'ADMIN_USER_NOT_FOUND', 'No such admin user');
    if (user.email === context.actor && ((change.role && change.role !== 'admin') || change.disabled)) {
      throw new AssentError(ErrorKind.Conflict, 'OWN_ACCOUNT', 'You cannot lower or disable your own account; ask another admin');
    }
    if (change.role) user.role = change.role;
    if (change.disabled !== undefined) user.disabledAt = change.disabled ? (user.disabledAt ?? new Date()) : null;
    if (change.unlock) Object.assign(user, { lockedUntil: null, failedSignIns: 0 });
    await this.users.save(user);
    await this.audit.record({ type: AuditEventType.AdminUserChanged, ...context, details: { email: user.email, ...change } });
    return viewOf(user);
  }
}

function viewOf(user: AdminUser): AdminUserView {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    locked: !!user.lockedUntil && user.lockedUntil > new Date(),
    disabled: !!user.disabledAt,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
