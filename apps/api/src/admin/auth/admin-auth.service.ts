import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { z } from 'zod';
import { ENVIRONMENT, Environment } from '@assent/config';
import { AssentError, ErrorKind, parseOrReject } from '@assent/domain';
import { AdminUser, AuditEventType, AuditLog } from '@assent/persistence';
import { AuditContext } from '../../common/request-context';
import { AdminIdentity } from '../admin-api.types';
import { AdminSession, AdminSessionStore } from './admin-session.store';
import { hashForUnknownUser, verifyPassword } from './password';

const signInSchema = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(256),
});

export interface SignedInAdmin {
  user: AdminUser;
  session: AdminSession;
}

@Injectable()
export class AdminAuthService {
  constructor(
    @InjectRepository(AdminUser) private readonly users: Repository<AdminUser>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly sessions: AdminSessionStore,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Every refusal answers the same, whether the email is unknown, the password
   * wrong, the account disabled or locked, so the answer tells an attacker nothing;
   * the audit log records which it was.
   */
  async signIn(body: unknown, context: AuditContext): Promise<{ token: string; identity: AdminIdentity }> {
    const { email, password } = parseOrReject(signInSchema, body);
    const user = await this.users.findOneBy({ email });
    const refuse = (reason: string): never => {
      this.audit.recordInBackground({ type: AuditEventType.AdminSignInFailed, ...context, actor: email, details: { reason } });
      throw new AssentError(
        ErrorKind.Unauthenticated,
        'SIGN_IN_FAILED',
        `Wrong email or password. After ${this.env.ADMIN_LOCKOUT_THRESHOLD} failures in a row the account is locked for ${this.env.ADMIN_LOCKOUT_MINUTES} minutes.`,
      );
    };
    if (!user || user.disabledAt) {
      await verifyPassword(password, await hashForUnknownUser());
      return refuse(user ? 'account disabled' : 'unknown email');
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      // The password is not checked while locked (guesses stay useless), but the answer takes as long.
      await verifyPassword(password, await hashForUnknownUser());
      return refuse('account locked');
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      if (await this.countFailure(user.id)) {
        await this.audit.record({ type: AuditEventType.AdminLockedOut, ...context, actor: email, details: { minutes: this.env.ADMIN_LOCKOUT_MINUTES } });
      }
      return refuse('wrong password');
    }
    await this.users.update({ id: user.id }, { failedSignIns: 0, lockedUntil: null, lastSignInAt: new Date() });
    const { token, session } = await this.sessions.create(user.id);
    await this.audit.record({ type: AuditEventType.AdminSignedIn, ...context, actor: email, details: { role: user.role } });
    return { token, identity: identityOf(user, session) };
  }

  /** The user behind a session cookie, if the session is live and the user still enabled. */
  async authenticate(token: string | undefined): Promise<SignedInAdmin | null> {
    if (!token || !/^as_[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const session = await this.sessions.touch(token);
    if (!session) return null;
    // The user is read on every request, so a role change or a disabled account takes effect at once.
    const user = await this.users.findOneBy({ id: session.userId });
    return user && !user.disabledAt ? { user, session } : null;
  }

  async signOut(token: string, admin: SignedInAdmin, context: AuditContext): Promise<void> {
    await this.sessions.destroy(token);
    await this.audit.record({ type: AuditEventType.AdminSignedOut, ...context, actor: admin.user.email });
  }

  /**
   * Counts a failed sign-in in one statement, so parallel guesses cannot slip past
   * the threshold; once a lock has run out, counting starts again. True when this
   * failure locked the account.
   */
  private async countFailure(userId: string): Promise<boolean> {
    const [rows] = await this.dataSource.query(
      `UPDATE admin_users
          SET failed_sign_ins = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_sign_ins + 1 END,
              locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_sign_ins + 1 END) >= $2
                                  THEN now() + make_interval(mins => $3) END,
              updated_at = now()
        WHERE id = $1
        RETURNING locked_until`,
      [userId, this.env.ADMIN_LOCKOUT_THRESHOLD, this.env.ADMIN_LOCKOUT_MINUTES],
    );
    return rows?.[0]?.locked_until != null;
  }
}

export function identityOf(user: AdminUser, session: AdminSession): AdminIdentity {
  return { email: user.email, role: user.role, csrfToken: session.csrfToken };
}
