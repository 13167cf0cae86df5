import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * The operations port of a process, apart from any API it serves (so it is no part of the api's
 * OpenAPI contract, and is reached only where the operator lets it be: bind it to loopback or to
 * the scrape network, never to the public):
 *
 *   GET /metrics       Prometheus text format (prom-client)
 *   GET /health/live   200 while the process runs and answers
 *   GET /health/ready  200 when it can do its work now, else 503 with the failed checks
 *
 * Anything else is 404; a method other than GET or HEAD is 405. Answers are never cached.
 */
export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean } & Record<string, unknown>>;
}

export interface OpsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  ready?: () => Promise<Readiness>;
  /** Extra routes (the projector's historical GET /health). */
  routes?: Record<string, () => Promise<{ status: number; body: unknown }>>;
}

export interface OpsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    answer(options, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, 'application/json', JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(options: OpsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain', 'method not allowed\n');
    return;
  }
  if (path === '/metrics') {
    send(res, 200, options.registry.contentType, await options.registry.metrics());
    return;
  }
  if (path === '/health/live') {
    send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
    return;
  }
  if (path === '/health/ready') {
    const readiness = options.ready === undefined ? { ready: true, checks: {} } : await options.ready();
    send(
      res,
      readiness.ready ? 200 : 503,
      'application/json',
      JSON.stringify({ status: readiness.ready ? 'ready' : 'not-ready', checks: readiness.checks }),
    );
    return;
  }
  const route = options.routes?.[path];
  if (route !== undefined) {
    const { status, body } = await route();
    send(res, status, 'application/json', JSON.stringify(body));
    return;
  }
  send(res, 404, 'text/plain', 'not found\n');
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(res.req.method === 'HEAD' ? undefined : body);
}

/** Runs a check with a deadline: a server that hangs is as unready as one that refuses. */
export async function check(
  name: string,
  run: () => Promise<Record<string, unknown> | undefined>,
  timeoutMs = 2000,
): Promise<[string, { ok: boolean } & Record<string, unknown>]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return [name, { ok: true, ...result }];
  } catch (error) {
    return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }];
  } finally {
    clearTimeout(timer);
  }
}

/** Ready when every check is. A check may say ok: false itself (a lag beyond the limit). */
export async function readinessOf(checks: Promise<[string, { ok: boolean } & Record<string, unknown>]>[]): Promise<Readiness> {
  const results = await Promise.all(checks);
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}
