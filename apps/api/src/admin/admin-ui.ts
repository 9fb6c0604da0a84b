import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import fastifyStatic from '@fastify/static';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT, Environment } from '@assent/config';
import { AssentError, ErrorKind, errorResponseOf } from '@assent/domain';
import { AuditEventType, AuditLog } from '@assent/persistence';
import { QueueName } from '@assent/queue';
import { auditContext } from '../common/request-context';
import { AdminAuthService } from './auth/admin-auth.service';
import { assertSameOrigin } from './auth/admin.guard';
import { sessionTokenOf } from './auth/session-cookie';

/** Built by `npm run build` (scripts/build-dashboard.mjs) from apps/dashboard. */
export const DASHBOARD_ROOT = join(__dirname, '..', '..', '..', 'dashboard');

// The dashboard loads nothing from elsewhere and may not be framed (its buttons revoke devices).
const DASHBOARD_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const HELMET_HEADERS_BULL_BOARD_CANNOT_TAKE = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
];

/**
 * The dashboard's static files under /admin/, and Bull Board under /admin/queues
 * for admins only, each in a Fastify scope of its own so that neither touches
 * what other parts of the API register.
 */
export async function mountAdminUi(app: NestFastifyApplication): Promise<void> {
  const env = app.get<Environment>(ENVIRONMENT);
  if (!existsSync(join(DASHBOARD_ROOT, 'index.html'))) throw new Error(`The dashboard is not built (${DASHBOARD_ROOT}); run npm run build`);
  await app.register(async (scope: FastifyInstance) => {
    await scope.register(fastifyStatic, {
      root: DASHBOARD_ROOT,
      prefix: '/admin/',
      decorateReply: false,
      wildcard: false,
      redirect: true,
      setHeaders: (reply) => {
        for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) void reply.header(name, value);
      },
    });
  });

  const auth = app.get(AdminAuthService);
  const audit = app.get(AuditLog);
  const board = new BullBoardFastifyAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({
    // Read-only: a retried or removed job could break the one-callback guarantee; the service itself repairs what it can.
    queues: Object.values(QueueName).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)), { readOnlyMode: true })),
    serverAdapter: board,
  });
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      // Bull Board, framed by the dashboard, stops rendering under the JSON routes' helmet headers;
      // it keeps the headers it had before them (it is for signed-in admins only, see below).
      for (const name of HELMET_HEADERS_BULL_BOARD_CANNOT_TAKE) reply.raw.removeHeader(name);
      try {
        if (!['GET', 'HEAD'].includes(request.method)) assertSameOrigin(request, env.PUBLIC_BASE_URL);
        const admin = await auth.authenticate(sessionTokenOf(request));
        if (!admin) throw new AssentError(ErrorKind.Unauthenticated, 'NOT_SIGNED_IN', 'Sign in to the dashboard first');
        if (admin.user.role !== 'admin') {
          audit.recordInBackground({
            type: AuditEventType.AdminAccessDenied,
            ...auditContext(request),
            actor: admin.user.email,
            details: { reason: 'needs the admin role', method: request.method, path: request.url.split('?')[0] },
          });
          throw new AssentError(ErrorKind.Forbidden, 'ROLE_REQUIRED', `The queues need the admin role; you are ${admin.user.role}`);
        }
      } catch (error) {
        if (!(error instanceof AssentError)) throw error;
        const { status, body } = errorResponseOf(error, request.id);
        // A person opening the page signed out is sent to the sign-in screen.
        if (status === 401 && request.method === 'GET' && !request.url.includes('/api/')) return reply.redirect('/admin/#/sign-in');
        return reply.code(status).header('cache-control', 'no-store').send(body);
      }
    });
    await scope.register(board.registerPlugin(), { prefix: '/admin/queues' });
  });
}
