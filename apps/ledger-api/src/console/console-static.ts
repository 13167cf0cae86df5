import * as fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AuthConfig, HttpStack } from '../config/config';
import type { LedgerHttpApp } from '../platform/http-adapter';
import { type HttpResponse, setHeaders } from '../platform/http-types';

export const CONSOLE_PREFIX = '/console';

/**
 * Where the built console is (`vite build` in scripts/build.js writes dist/console): beside the
 * compiled api in dist/, or under the repository's dist/ when the api runs from source (jest).
 * LEDGER_CONSOLE_DIR overrides both.
 */
export function consoleDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LEDGER_CONSOLE_DIR !== undefined && env.LEDGER_CONSOLE_DIR !== '') return path.resolve(env.LEDGER_CONSOLE_DIR);
  const up = path.resolve(__dirname, '..', '..', '..', '..');
  return path.basename(up) === 'dist' ? path.join(up, 'console') : path.join(up, 'dist', 'console');
}

/**
 * The console's Content-Security-Policy: scripts and styles only from this origin (no inline
 * script, no eval, no CDN), API calls to this origin and, with oidc, to the issuer's origin (the
 * token endpoint of the PKCE flow); no frames, no plugins, no foreign forms.
 */
export function consoleCsp(auth: AuthConfig): string {
  const connect = ["'self'"];
  if (auth.mode === 'oidc') {
    try {
      connect.push(new URL(auth.issuer).origin);
    } catch {
      // An issuer that is not a URL: the console cannot reach it; nothing to allow.
    }
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Serves the built console at /console: static files only, each with the CSP and the usual
 * hardening headers. The console holds no secret and has no route of its own: everything it shows
 * comes from the API with the signed-in person's token, so the API's authorisation is the only door.
 * Without a build (dist/console missing) /console answers the API's 404 like any unknown route.
 */
export function serveConsole(app: LedgerHttpApp, stack: HttpStack, auth: AuthConfig, dir = consoleDir()): boolean {
  if (!fs.existsSync(path.join(dir, 'index.html'))) return false;
  const csp = consoleCsp(auth);
  // The same headers on either stack: serve-static hands its setHeaders the Node response, @fastify/static the reply.
  const headersOf = (file: string): Record<string, string> => ({
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    // Hashed asset names never change content; index.html must be revalidated to pick up a new build.
    'Cache-Control': file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (stack === 'express') {
    (app as NestExpressApplication).useStaticAssets(dir, {
      prefix: CONSOLE_PREFIX,
      index: 'index.html',
      dotfiles: 'deny',
      fallthrough: true,
      setHeaders: (res: ServerResponse, file: string) => setHeaders(res, headersOf(file)),
    });
  } else {
    // @fastify/static: a dotfile is ignored (404 through the API's not-found answer) where 'deny'
    // would be its own 403, as serve-static's fallthrough makes it 404.
    const fastify = app as NestFastifyApplication;
    void fastify.useStaticAssets({
      root: dir,
      prefix: CONSOLE_PREFIX,
      index: 'index.html',
      redirect: false,
      dotfiles: 'ignore',
      setHeaders: (reply, file) => setHeaders(reply as unknown as HttpResponse, headersOf(file)),
    });
    // /console answers 301 to /console/ as serve-static does, and /console/ the index. With a
    // trailing slash ignored (as Express does, http-adapter.ts) both are this one route, which
    // @fastify/static's own redirect would send to itself.
    fastify
      .getHttpAdapter()
      .getInstance()
      .get(CONSOLE_PREFIX, (request, reply) => {
        const [pathname, query] = (request.raw.url ?? '').split(/\?(.*)/s);
        // sendFile: @fastify/static's (its type augmentation of the reply is not imported here).
        if (pathname.endsWith('/')) return (reply as unknown as { sendFile(file: string): unknown }).sendFile('index.html');
        return reply
          .code(301)
          .header('Location', `${CONSOLE_PREFIX}/${query === undefined ? '' : `?${query}`}`)
          .send();
      });
  }
  return true;
}
