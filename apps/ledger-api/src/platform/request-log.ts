import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '@ledger/observability';
import type { LedgerMetrics } from './ledger-metrics';
import type { HttpRequest, NextFunction } from './http-types';
import { runObserved, type Observation } from './observation';
import type { IdGenerator } from './ports';

type Observed = HttpRequest & { observation?: Observation; route?: { path?: unknown }; id?: unknown; res?: ServerResponse };

/**
 * One JSON line per request when it ends, and the request metrics. The first middleware: every
 * answer is logged, also a refusal of a later middleware (a duplicate header, a bad body).
 *
 * A line holds: requestId, correlationId, actorId, actorRole (when a token was verified),
 * commandType and streamId (when the request reached the command path), outcome (OK or the
 * problem code), durationMs, route (the matched pattern), req {method, path}, res {statusCode}. Never a header (so no
 * token), a query string or a body: they are not serialised at all, and REDACT_PATHS catches
 * what a careless log call might add.
 */
export function requestLog(logger: Logger, metrics: LedgerMetrics, ids: IdGenerator) {
  const http = pinoHttp({
    logger,
    genReqId: () => ids.uuid(),
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    wrapSerializers: false,
    serializers: {
      // Serialised when the request starts: the route is not matched yet (it is added at the end: `route`).
      req: (req: Observed) => ({ method: req.method, path: pathOf(req) }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error !== undefined || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, _res, value: object) => ({ ...value, ...fieldsOf(req as Observed) }),
    customErrorObject: (req, _res, _error, value: object) => ({ ...value, ...fieldsOf(req as Observed) }),
    customSuccessMessage: (req, res) => messageOf(req as Observed, res),
    customErrorMessage: (req, res) => messageOf(req as Observed, res),
  });
  return (req: IncomingMessage, res: ServerResponse, next: NextFunction): void => {
    const observed = req as Observed;
    const observation: Observation = {};
    observed.observation = observation;
    const started = process.hrtime.bigint();
    res.once('finish', () => record(metrics, observed, res, Number(process.hrtime.bigint() - started) / 1e9));
    runObserved(observation, () => http(req, res, next));
  };
}

function record(metrics: LedgerMetrics, req: Observed, res: ServerResponse, seconds: number): void {
  metrics.httpRequests.inc({ method: req.method ?? '', route: routeOf(req), status: String(res.statusCode) });
  const type = req.observation?.commandType;
  if (type === undefined) return;
  const outcome = outcomeOf(req, res);
  metrics.commands.inc({ type, outcome });
  metrics.commandDuration.observe({ type, outcome }, seconds);
}

function fieldsOf(req: Observed): Record<string, unknown> {
  const { commandType, streamId } = req.observation ?? {};
  return {
    route: routeOf(req),
    correlationId: req.correlationId,
    actorId: req.actor?.id,
    actorRole: req.actor?.role,
    commandType,
    streamId,
    outcome: outcomeOf(req, req.res),
  };
}

function messageOf(req: Observed, res: ServerResponse): string {
  const type = req.observation?.commandType;
  const outcome = outcomeOf(req, res);
  return type === undefined ? `${req.method ?? ''} ${routeOf(req)} ${res.statusCode} ${outcome}` : `command ${type} ${outcome}`;
}

const outcomeOf = (req: Observed, res: ServerResponse | undefined): string =>
  req.observation?.problemCode ?? ((res?.statusCode ?? 200) >= 400 ? `HTTP_${res?.statusCode}` : 'OK');

/** The path without its query string (which may carry what a log must not). */
const pathOf = (req: Observed): string => (req.originalUrl ?? req.url ?? '').split('?')[0];

/** The matched route pattern (`/appraisals/:appraisalId/plan/draft`; Express's req.route, or Fastify's copied by http-adapter.ts): a closed set, fit for a label. */
const routeOf = (req: Observed): string => (typeof req.route?.path === 'string' ? req.route.path : 'unmatched');
