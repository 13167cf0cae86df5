import type { LogLevel } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { createLogger, type DestinationStream } from '@ledger/observability';
import { AppModule, type AppOptions } from './app.module';
import { serveConsole } from './console/console-static';
import { setupSwagger } from './docs/swagger';
import { httpAdapterFor, type LedgerHttpApp, prepareHttpStack } from './platform/http-adapter';
import { strictJsonBody } from './platform/json-body';
import { KnownQueryInterceptor } from './platform/known-query';
import { LedgerMetrics } from './platform/ledger-metrics';
import { requestLog } from './platform/request-log';
import { requestIds, requireJsonBody } from './platform/request-context';
import { IDS, type IdGenerator, randomIds } from './platform/ports';
import { ProblemFilter } from './problems/problem.filter';
import { publicBodyLimit } from './public-feedback/public-body-limit';

export interface LedgerAppOptions extends AppOptions {
  /** false: silent (the tests), unless logDestination is given. */
  logger?: false | LogLevel[];
  /** Where the JSON log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
}

/**
 * Builds the HTTP app (not yet listening) on the configured stack (LEDGER_HTTP: express or fastify): request ids, the JSON-only body rule and the strict body
 * reader with the configured limit, the problem filter, and the OpenAPI docs. main.ts and the e2e tests both
 * use it, so the tests exercise exactly the production pipeline.
 */
export async function createLedgerApp(options: LedgerAppOptions): Promise<LedgerHttpApp> {
  const silent = options.logger === false && options.logDestination === undefined;
  const logger = createLogger({
    service: 'ledger-api',
    ...options.config.logging,
    ...(silent && { level: 'silent' }),
    ...(options.logger !== undefined && options.logger !== false && !options.logger.includes('log') && { level: 'warn' }),
    destination: options.logDestination,
  });
  const stack = options.config.http;
  const app = await NestFactory.create<LedgerHttpApp>(
    AppModule.forRoot({ ...options, rootLogger: logger }),
    httpAdapterFor(stack, options.ids ?? randomIds),
    {
      bodyParser: false,
      // Held until the pino logger is in place, so even start-up lines are JSON.
      bufferLogs: !silent,
      // A failed start (a store that disagrees with its log, an unreachable server) is thrown to the
      // caller, which says why and exits: Nest's default would exit the process from inside.
      abortOnError: false,
      // No forceCloseConnections: on close, Node's server.close() ends idle keep-alive connections
      // and lets requests in flight finish before the stores are closed.
      logger: silent ? false : ['error', 'warn', 'log'],
    },
  );
  if (!silent) app.useLogger(app.get(PinoNestLogger));
  prepareHttpStack(app, stack);
  // Order matters: the request log first (it sees every answer), ids (every answer carries them),
  // then the content-type rule, then parsing.
  app.use(requestLog(logger, app.get(LedgerMetrics), app.get<IdGenerator>(IDS)));
  app.use(requestIds(app.get<IdGenerator>(IDS)));
  app.use(requireJsonBody);
  // The console's static files (/console), before the routes; the API answers everything else.
  serveConsole(app, stack, options.config.auth);
  // Not Express's or Fastify's JSON parser: they repair (U+FFFD, last duplicate wins, Infinity) where this one refuses.
  app.use(strictJsonBody((req) => publicBodyLimit(req) ?? options.config.bodyLimitBytes));
  app.useGlobalFilters(new ProblemFilter());
  // Global interceptors run before a controller's: an unknown query parameter is refused before ?minPosition waits.
  app.useGlobalInterceptors(new KnownQueryInterceptor(app.get(Reflector)));
  setupSwagger(app);
  return app;
}
