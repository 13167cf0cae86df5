import { CommandHandler, InProcessLock } from '@event-driven-io/emmett';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { importJWK, jwtVerify, type JWK } from 'jose';
import { decide, evolve, initialState, ROLES, statusOf, type AppraisalEvent, type AppraisalState, type Role } from './appraisal.js';
import { validateFeedback } from './feedback-dto.js';
import { openPeerStore } from './store.js';

/**
 * The peer's HTTP api: POST /appraisals/:id/feedback on Node's http (Emmett 0.42 has no HTTP
 * package on the registry this machine reaches; its docs' Express one would add a layer), with
 * the ledger's steps: body size limit, JSON parse, class-validator DTO, ES256 JWT (jose, the
 * ledger's issuer, audience, algorithm and required claims), then Emmett's CommandHandler
 * (aggregateStream: read and fold; decide; appendToStream with the expected version, which
 * runs the inline projection in the append's transaction).
 *   PEER_DB (the SQLite file), PEER_PORT, PEER_PUBLIC_JWK (a file: the ledger's public key),
 *   PEER_LOCK: `stream` (default: Emmett's InProcessLock, one lock id per stream) or `store` (one
 *   lock id for every command: one append at a time, each with its own COMMIT before its answer).
 */
const ISSUER = 'appraisal-ledger-local';
const AUDIENCE = 'appraisal-ledger';
const BODY_LIMIT = 1024 * 1024;
const PATH = /^\/appraisals\/([A-Za-z0-9._-]{1,100})\/feedback$/;

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};

const handle = CommandHandler<AppraisalState, AppraisalEvent>({ evolve, initialState, mapToStreamId: (id) => `appraisal-${id}` });
/**
 * Emmett's in-process lock. Per stream, two commands on one appraisal never interleave, but
 * commands on different streams share the one connection's transaction (store.ts counts this);
 * per store, commands run one at a time, so each answer follows its own COMMIT.
 */
const lock = InProcessLock();
const lockPerStream = (): boolean => {
  const mode = process.env.PEER_LOCK ?? 'stream';
  if (mode !== 'stream' && mode !== 'store') throw new Error(`PEER_LOCK must be stream or store, got "${mode}"`);
  return mode === 'stream';
};

interface Actor {
  id: string;
  role: Role;
}

/**
 * Verified tokens are remembered by their exact text until they expire, as the ledger's
 * token-verifier.ts does, so that both sides pay the same for the JWT: one signature check per
 * distinct token, then a map lookup.
 */
function tokenVerifier(jwk: JWK) {
  const key = importJWK(jwk, 'ES256');
  const verified = new Map<string, { actor: Actor; expiresAtMs: number }>();
  return async (authorization: string | undefined): Promise<Actor | undefined> => {
    if (authorization?.startsWith('Bearer ') !== true) return undefined;
    const token = authorization.slice('Bearer '.length);
    const hit = verified.get(token);
    if (hit !== undefined && Date.now() < hit.expiresAtMs) return hit.actor;
    try {
      const { payload } = await jwtVerify(token, await key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['ES256'],
        requiredClaims: ['sub', 'exp'],
      });
      const { sub, role } = payload;
      if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 200) return undefined;
      if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role) || role === 'MASYARAKAT') return undefined;
      const actor = { id: sub, role: role as Role };
      if (verified.size >= 10_000) verified.clear();
      verified.set(token, { actor, expiresAtMs: (payload.exp ?? 0) * 1000 });
      return actor;
    } catch {
      return undefined;
    }
  };
}

/** RFC 7807 problem details, as the ledger and Emmett's HTTP packages answer refusals. */
function problem(res: ServerResponse, status: number, code: string, detail?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', status, code, ...(detail === undefined ? {} : { detail }) }));
}

async function readBody(req: IncomingMessage): Promise<string | 'TOO_LARGE'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) return 'TOO_LARGE';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const { store, connection, pragmas, stats } = await openPeerStore(env('PEER_DB'));
  const jwk = JSON.parse(readFileSync(env('PEER_PUBLIC_JWK'), 'utf8')) as JWK;
  const verify = tokenVerifier(jwk);
  const perStream = lockPerStream();
  let appends = 0;
  let internalErrors = 0;

  const feedback = async (req: IncomingMessage, res: ServerResponse, appraisalId: string): Promise<void> => {
    const actor = await verify(req.headers.authorization);
    if (actor === undefined) return problem(res, 401, 'UNAUTHENTICATED');
    if (req.headers['content-type']?.startsWith('application/json') !== true) return problem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const raw = await readBody(req);
    if (raw === 'TOO_LARGE') return problem(res, 413, 'BODY_TOO_LARGE');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return problem(res, 400, 'MALFORMED_JSON');
    }
    const dto = await validateFeedback(body);
    if (!dto.ok) return problem(res, 400, 'VALIDATION_FAILED', { fields: dto.fields });
    const feedbackId = randomUUID();
    const data = dto.about === undefined ? { feedbackId, text: dto.text } : { feedbackId, text: dto.text, about: dto.about };
    const command = { type: 'GiveFeedback' as const, data, metadata: { actor, now: new Date(), requestId: randomUUID() } };
    const streamName = `appraisal-${appraisalId}`;
    const result = await lock.withAcquire(() => handle(store, appraisalId, (state) => decide(command, state)), {
      lockId: perStream ? streamName : 'store',
    });
    appends++;
    res.writeHead(200, { 'content-type': 'application/json', etag: `"${result.nextExpectedStreamVersion}"` });
    res.end(
      JSON.stringify({
        streamId: streamName,
        revision: Number(result.nextExpectedStreamVersion),
        position: Number(result.lastEventGlobalPosition),
        feedbackId,
      }),
    );
  };

  const server = createServer((req, res) => {
    const route = req.method === 'POST' ? PATH.exec(req.url ?? '') : null;
    const respond = async () => {
      if (req.method === 'GET' && req.url === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ pragmas, appends, ...stats() }));
      }
      if (route === null) return problem(res, 404, 'NOT_FOUND');
      await feedback(req, res, route[1]);
    };
    respond().catch((error: unknown) => {
      // A refusal of the rules is an answer with its status; anything else is a 500 with its message on stderr.
      const status = statusOf(error);
      if (status >= 500 && ++internalErrors <= 3) {
        const more = internalErrors === 3 ? ' (further ones are counted in the 5xx answers only)' : '';
        process.stderr.write(
          `peer (PEER_LOCK=${perStream ? 'stream' : 'store'}): ${error instanceof Error ? error.message : String(error)}${more}\n`,
        );
      }
      if (!res.headersSent) problem(res, status, status < 500 && error instanceof Error ? error.message : 'INTERNAL');
      else res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(env('PEER_PORT')), '127.0.0.1');
  const stop = () =>
    server.close(() => {
      connection.close();
      process.exit(0);
    });
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`peer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
