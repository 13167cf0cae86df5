import { DEFAULT_POLICY, PERIODS, type Period, type Policy } from '@ledger/appraisal';
import { readLogSettings, type LogSettings } from '@ledger/observability';
import { ConfigError, envReader, parseIntIn, readInteger, readStoreConfig, type StoreConfig } from '@ledger/stores';

export { ConfigError };

/**
 * Configuration from the environment, validated once at start. Every bad value is collected and
 * reported together, so an operator fixes them in one go. There is no silent fallback: a server
 * that is chosen must be reachable at start, never replaced by the embedded store
 * (libs/stores reads the store variables, shared with the projector and the relay).
 */
export type AuthConfig =
  | { mode: 'local' }
  /** clientId: the console's public OIDC client (OIDC_CLIENT_ID); without it the console cannot sign in. */
  | { mode: 'oidc'; issuer: string; jwksUri: string; audience: string; clientId?: string };

export interface LedgerConfig {
  port: number;
  host: string;
  /** Absolute path: SQLite files and the local signing key live here. */
  dataDir: string;
  stores: StoreConfig;
  /**
   * in-process: this process keeps the read models up to date (the embedded default);
   * external: apps/projector does, and this process follows its checkpoint.
   */
  projector: 'in-process' | 'external';
  /**
   * LEDGER_HTTP: the HTTP server under Nest, express or fastify (platform/http-adapter.ts). Both
   * answer every request alike (the e2e suite runs on either); fastify is kept selectable for its
   * measured speed, express for its longer record here.
   */
  http: HttpStack;
  /** As given (e.g. '64kb'), for body-parser, and in bytes. */
  bodyLimit: string;
  bodyLimitBytes: number;
  auth: AuthConfig;
  policy: Policy;
  log: LogConfig;
  /** LOG_LEVEL, LOG_FORMAT (libs/observability). */
  logging: LogSettings;
  ops: OpsConfig;
}

/**
 * The operations side (README "Operating it"): LEDGER_METRICS_PORT serves GET /metrics (and
 * /health/live, /health/ready) on a port of its own, apart from the API and its OpenAPI contract;
 * unset, no metrics port is opened. LEDGER_METRICS_HOST (default 127.0.0.1) is the address it binds.
 * LEDGER_READY_MAX_LAG (default 1000): readiness fails when the read models are further behind
 * the ledger than this many events.
 */
export interface OpsConfig {
  metricsPort: number | undefined;
  metricsHost: string;
  readyMaxLag: number;
}

/**
 * The Merkle log (embedded store): LEDGER_LOG_KEY_FILE (default: created in <data dir>/keys),
 * LEDGER_LOG_ORIGIN (the origin line; default: the key's), LEDGER_LOG_ADOPT_EXISTING=true to put
 * the events of a store written before the log into it once, LEDGER_WITNESSES (comma list of
 * "<url> <witness verifier key>"), LEDGER_WITNESS_QUORUM (cosignatures a checkpoint needs to be
 * published; default: every witness), LEDGER_WITNESS_INTERVAL_MS (how often the newest checkpoint
 * is taken to the witnesses; default 1000).
 */
export interface LogConfig {
  keyFile: string | undefined;
  origin: string | undefined;
  adoptExisting: boolean;
  witnesses: { url: string; key: string }[];
  quorum: number;
  witnessIntervalMs: number;
}

export const HTTP_STACKS = ['express', 'fastify'] as const;
export type HttpStack = (typeof HTTP_STACKS)[number];
/** Fastify: measured 1.14–1.39× Express's commands/s for the whole app (bench/http-stack.ts), ahead in 12 of 14 paired rounds. */
export const DEFAULT_HTTP_STACK: HttpStack = 'fastify';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const problems: string[] = [];
  const read = envReader(env);

  const port = parseIntIn(read('LEDGER_PORT') ?? '3000', 0, 65535);
  if (port === undefined) problems.push(`LEDGER_PORT must be an integer 0..65535, got "${env.LEDGER_PORT}"`);

  const stores = readStoreConfig(read, problems);
  const projector = read('LEDGER_PROJECTOR') ?? 'in-process';
  if (projector !== 'in-process' && projector !== 'external') {
    problems.push(`LEDGER_PROJECTOR must be "in-process" or "external", got "${projector}"`);
  }

  const http = read('LEDGER_HTTP') ?? DEFAULT_HTTP_STACK;
  if (!isHttpStack(http)) problems.push(`LEDGER_HTTP must be "express" or "fastify", got "${http}"`);

  const bodyLimit = (read('LEDGER_BODY_LIMIT') ?? '64kb').toLowerCase();
  const bodyLimitBytes = parseSize(bodyLimit);
  if (bodyLimitBytes === undefined || bodyLimitBytes < 1 || bodyLimitBytes > MAX_BODY_BYTES) {
    problems.push(`LEDGER_BODY_LIMIT must be a size like 64kb or 1mb (1b..10mb), got "${env.LEDGER_BODY_LIMIT}"`);
  }

  const auth = readAuth(read, problems);
  const policy = readPolicy(read, problems);
  const log = readLog(read, problems);
  const logging = readLogSettings(read, problems);
  const ops = readOps(read, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: port ?? 3000,
    host: read('LEDGER_HOST') ?? '127.0.0.1',
    dataDir: stores.dataDir,
    stores,
    projector: projector === 'external' ? 'external' : 'in-process',
    http: isHttpStack(http) ? http : DEFAULT_HTTP_STACK,
    bodyLimit,
    bodyLimitBytes: bodyLimitBytes ?? 0,
    auth,
    policy,
    log,
    logging,
    ops,
  };
}

const isHttpStack = (value: string): value is HttpStack => (HTTP_STACKS as readonly string[]).includes(value);

function readOps(read: (name: string) => string | undefined, problems: string[]): OpsConfig {
  const rawPort = read('LEDGER_METRICS_PORT');
  const metricsPort = rawPort === undefined ? undefined : parseIntIn(rawPort, 0, 65535);
  if (rawPort !== undefined && metricsPort === undefined)
    problems.push(`LEDGER_METRICS_PORT must be an integer 0..65535, got "${rawPort}"`);
  return {
    metricsPort,
    metricsHost: read('LEDGER_METRICS_HOST') ?? '127.0.0.1',
    readyMaxLag: readInteger(read, 'LEDGER_READY_MAX_LAG', 1000, 0, 1_000_000_000, problems),
  };
}

function readLog(read: (name: string) => string | undefined, problems: string[]): LogConfig {
  const origin = read('LEDGER_LOG_ORIGIN');
  if (origin !== undefined && (/[\s+]/u.test(origin) || origin.includes('\u2014'))) {
    problems.push(`LEDGER_LOG_ORIGIN must have no spaces and no '+', got "${origin}"`);
  }
  const adopt = read('LEDGER_LOG_ADOPT_EXISTING') ?? 'false';
  if (adopt !== 'true' && adopt !== 'false') problems.push(`LEDGER_LOG_ADOPT_EXISTING must be true or false, got "${adopt}"`);
  const witnesses: LogConfig['witnesses'] = [];
  for (const item of (read('LEDGER_WITNESSES') ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '')) {
    const [url, key, ...rest] = item.split(/\s+/u);
    if (key === undefined || rest.length > 0 || !isHttpUrl(url) || !/^[^+\s]+\+[0-9a-f]{8}\+\S+$/u.test(key)) {
      problems.push(`LEDGER_WITNESSES must be a comma list of "<http(s) url> <verifier key>", got "${item}"`);
    } else witnesses.push({ url: url.replace(/\/+$/u, ''), key });
  }
  const quorumRaw = read('LEDGER_WITNESS_QUORUM');
  let quorum = witnesses.length;
  if (quorumRaw !== undefined) {
    const parsed = parseIntIn(quorumRaw, 0, witnesses.length);
    if (parsed === undefined)
      problems.push(`LEDGER_WITNESS_QUORUM must be an integer 0..${witnesses.length} (the witnesses configured), got "${quorumRaw}"`);
    else quorum = parsed;
  }
  const intervalRaw = read('LEDGER_WITNESS_INTERVAL_MS') ?? '1000';
  const witnessIntervalMs = parseIntIn(intervalRaw, 10, 3_600_000);
  if (witnessIntervalMs === undefined) problems.push(`LEDGER_WITNESS_INTERVAL_MS must be an integer 10..3600000, got "${intervalRaw}"`);
  return {
    keyFile: read('LEDGER_LOG_KEY_FILE'),
    origin,
    adoptExisting: adopt === 'true',
    witnesses,
    quorum,
    witnessIntervalMs: witnessIntervalMs ?? 1000,
  };
}

function readAuth(read: (name: string) => string | undefined, problems: string[]): AuthConfig {
  const mode = read('AUTH_MODE') ?? 'local';
  if (mode === 'local') return { mode };
  if (mode !== 'oidc') {
    problems.push(`AUTH_MODE must be "local" or "oidc", got "${mode}"`);
    return { mode: 'local' };
  }
  const issuer = read('OIDC_ISSUER');
  const jwksUri = read('OIDC_JWKS_URI');
  const audience = read('OIDC_AUDIENCE');
  if (issuer === undefined) problems.push('OIDC_ISSUER is required when AUTH_MODE=oidc');
  if (jwksUri === undefined || !isHttpUrl(jwksUri)) problems.push('OIDC_JWKS_URI must be an http(s) URL when AUTH_MODE=oidc');
  if (audience === undefined) problems.push('OIDC_AUDIENCE is required when AUTH_MODE=oidc');
  const clientId = read('OIDC_CLIENT_ID');
  return { mode, issuer: issuer ?? '', jwksUri: jwksUri ?? '', audience: audience ?? '', ...(clientId !== undefined && { clientId }) };
}

function readPolicy(read: (name: string) => string | undefined, problems: string[]): Policy {
  const policy: Policy = { ...DEFAULT_POLICY, periods: [...DEFAULT_POLICY.periods] };
  const timeZone = read('LEDGER_TIME_ZONE');
  if (timeZone !== undefined) {
    if (isTimeZone(timeZone)) policy.timeZone = timeZone;
    else problems.push(`LEDGER_TIME_ZONE must be an IANA time zone such as Asia/Jakarta, got "${timeZone}"`);
  }
  const deadline = read('LEDGER_PLAN_DEADLINE');
  if (deadline !== undefined) {
    if (isMonthDay(deadline)) policy.planDeadlineMonthDay = deadline;
    else problems.push(`LEDGER_PLAN_DEADLINE must be MM-DD (a day that exists every year), got "${deadline}"`);
  }
  const days = read('LEDGER_OBJECTION_DECISION_DAYS');
  if (days !== undefined) {
    const parsed = parseIntIn(days, 1, 365);
    if (parsed !== undefined) policy.objectionDecisionDays = parsed;
    else problems.push(`LEDGER_OBJECTION_DECISION_DAYS must be an integer 1..365, got "${days}"`);
  }
  const periods = read('LEDGER_PERIODS');
  if (periods !== undefined) {
    const list = periods.split(',').map((p) => p.trim());
    const unknown = list.filter((p) => !(PERIODS as readonly string[]).includes(p));
    if (unknown.length > 0 || new Set(list).size !== list.length) {
      problems.push(`LEDGER_PERIODS must be a comma list of distinct ${PERIODS.join('|')}, got "${periods}"`);
    } else {
      policy.periods = list as Period[];
    }
  }
  return policy;
}

function parseSize(raw: string): number | undefined {
  const match = /^(\d+)(b|kb|mb)?$/.exec(raw);
  if (match === null) return undefined;
  return Number(match[1]) * UNITS[(match[2] as string | undefined) ?? 'b']; // an unmatched group is undefined
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function isMonthDay(raw: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(raw);
  if (match === null) return false;
  const month = Number(match[1]);
  const day = Number(match[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1];
}
