import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AssentError, ErrorKind } from '@assent/domain';
import { APP_SECURITY_HEADERS, cacheControlFor, PwaFiles } from './pwa-files';

/** Serves the cardholder app on the API's own origin: the WebAuthn origin and the push service worker need one. */
@Controller('app')
export class PwaController {
  constructor(private readonly files: PwaFiles) {}

  /** The service worker's scope is /app/, so the app lives behind the trailing slash. */
  @Get()
  toAppRoot(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return reply.redirect(request.url.replace(/^\/app/, '/app/'), 301);
  }

  @Get('*')
  serve(@Req() request: FastifyRequest<{ Params: { '*': string } }>, @Res() reply: FastifyReply) {
    const file = this.files.fileFor(request.params['*']);
    if (!file) throw new AssentError(ErrorKind.NotFound, 'ROUTE_NOT_FOUND', 'No such file');
    return reply.headers({ ...APP_SECURITY_HEADERS, 'cache-control': cacheControlFor(file) }).sendFile(file, { cacheControl: false });
  }
}
