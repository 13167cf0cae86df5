import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AuthConfig } from '../config/config';
import type { HttpResponse } from '../platform/http-types';

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
export function serveConsole(app: NestExpressApplication, auth: AuthConfig, dir = consoleDir()): boolean {
  if (!fs.existsSync(path.join(dir, 'index.html'))) return false;
  const csp = consoleCsp(auth);
  app.useStaticAssets(dir, {
    prefix: CONSOLE_PREFIX,
    index: 'index.html',
    dotfiles: 'deny',
    fallthrough: true,
    setHeaders: (res: HttpResponse, file: string) => {
      res.setHeader('Content-Security-Policy', csp);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('X-Frame-Options', 'DENY');
      // Hashed asset names never change content; index.html must be revalidated to pick up a new build.
      res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return true;
}
