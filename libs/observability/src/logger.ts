import { pino, type DestinationStream, type Level, type Logger } from 'pino';

/**
 * The one logger of every process (api, projector, relay, CLI): pino, JSON lines on stdout, one
 * object per line with `time` (ISO), `level` (a name), `service`, and `msg`. Pretty output only
 * when asked for (LOG_FORMAT=pretty) or, by default, when stdout is a terminal.
 *
 * Redaction rules (the same in every process; test/observability.e2e.spec.ts reads real lines):
 * - ids only: actor id and role, request and correlation ids, stream and event ids, command type;
 *   never a name, an address, a request body, a query string, a header or a token;
 * - REDACT_PATHS censors the places a secret could still land if someone logs an object carelessly
 *   (headers, authorization, tokens, bodies, cookies): they print as "[redacted]".
 */
export type LogFormat = 'json' | 'pretty';

export interface LogSettings {
  level: Level | 'silent';
  format: LogFormat;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const REDACT_PATHS = [
  'req.headers',
  'res.headers',
  'headers',
  'authorization',
  '*.authorization',
  'token',
  '*.token',
  'body',
  '*.body',
  'cookie',
  '*.cookie',
  'password',
  '*.password',
];

/** LOG_LEVEL (default info) and LOG_FORMAT (json | pretty; default pretty on a terminal, else json). */
export function readLogSettings(
  read: (name: string) => string | undefined,
  problems: string[],
  isTty: boolean = process.stdout.isTTY,
): LogSettings {
  const level = read('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join('|')}, got "${level}"`);
  const format = read('LOG_FORMAT') ?? (isTty ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') problems.push(`LOG_FORMAT must be json or pretty, got "${format}"`);
  return {
    level: (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogSettings['level']) : 'info',
    format: format === 'pretty' ? 'pretty' : 'json',
  };
}

export interface CreateLoggerOptions extends Partial<LogSettings> {
  /** The process: ledger-api, projector, relay, auditor. */
  service: string;
  /** Where lines go (tests capture them); default stdout (or pino-pretty on stdout). */
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (options.destination !== undefined) return pino(settings, options.destination);
  if (options.format === 'pretty') {
    const pretty = prettyStream();
    if (pretty !== undefined) return pino(settings, pretty);
  }
  return pino(settings, pino.destination({ fd: 1, sync: true }));
}

/**
 * pino-pretty is a development tool (a devDependency): pino loads it by name in its transport
 * worker. Where it is not installed (the production image), lines stay JSON.
 */
function prettyStream(): DestinationStream | undefined {
  try {
    require.resolve('pino-pretty');
  } catch {
    return undefined;
  }
  return pino.transport({ target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } });
}

/** A `(message) => void` for the classes that take one (Projector, Relay, stores), at `info`. */
export const lineLogger =
  (logger: Logger, level: 'info' | 'warn' = 'info') =>
  (message: string): void => {
    logger[level](message);
  };

export type { Logger, DestinationStream };
