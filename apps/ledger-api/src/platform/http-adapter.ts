import type { RequestListener } from 'node:http';
import * as querystring from 'node:querystring';
import { BadRequestException } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpStack } from '../config/config';
import { answerClientError, answerClientErrors } from './client-error';
import { PROBLEM_CONTENT_TYPE } from '../problems/problem';
import { renderProblem } from '../problems/problem.filter';
import { type FastifyReplyLike, type HttpRequest, sendBody } from './http-types';
import type { IdGenerator } from './ports';

/** The Nest app on either HTTP stack; everything past this file sees only what both share. */
export type LedgerHttpApp = NestExpressApplication | NestFastifyApplication;

/**
 * Node's own server limits, which Express runs with: Fastify's defaults differ (a 72 s
 * keep-alive, no request timeout), and a client should not see the stack change underneath it.
 */
const NODE_KEEP_ALIVE_MS = 5_000;
const NODE_REQUEST_TIMEOUT_MS = 300_000;
/** find-my-way answers a longer route parameter 414 (default 100): Express has no such limit, so neither does this (the header limit bounds a URL). */
const MAX_PARAM_LENGTH = 16 * 1024;

/** The adapter NestFactory.create is given for LEDGER_HTTP. */
export function httpAdapterFor(stack: HttpStack, ids: IdGenerator): AbstractHttpAdapter {
  if (stack === 'express') return new ExpressAdapter();
  return new FastifyAdapter({
    // The same problem document as under Express (platform/client-error.ts), not Fastify's JSON.
    clientErrorHandler: answerClientError,
    // A request on a kept-alive connection during shutdown is answered, as Node's server.close()
    // lets Express do: never a 503 for a request the api can still serve.
    return503OnClosing: false,
    keepAliveTimeout: NODE_KEEP_ALIVE_MS,
    requestTimeout: NODE_REQUEST_TIMEOUT_MS,
    // The request log (platform/request-log.ts) writes the one line per request, on both stacks (logger false: Fastify logs nothing).
    logger: false,
    // The request id: Fastify draws it (on the Node request, where the request log takes it), so from the app's ids, like Express's.
    genReqId: () => ids.uuid(),
    // A URL the router cannot decode (a percent-escape that is not UTF-8) is refused before any
    // hook runs, so before the ids and the request log: answered here with the problem document
    // Express's URIError gets (400 BAD_REQUEST), its request ids fresh. Not logged (see the report in issue 10).
    frameworkErrors: (error: Error & { code?: string }, request: { raw: { url?: string } }, reply: unknown) => {
      const path = (request.raw.url ?? '').split('?')[0];
      const { problem } = renderProblem(error.code === 'FST_ERR_BAD_URL' ? new BadRequestException(error.message) : error, path);
      const headers = {
        'X-Request-Id': ids.uuid(),
        'X-Correlation-Id': ids.uuid(),
        'Content-Type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
      };
      sendBody(reply as FastifyReplyLike, problem.status, headers, JSON.stringify(problem));
    },
    routerOptions: {
      // Express routes case-insensitively and ignores one trailing slash; its query parser is Node's querystring.
      caseSensitive: false,
      ignoreTrailingSlash: true,
      maxParamLength: MAX_PARAM_LENGTH,
      querystringParser: (query) => querystring.parse(query),
    },
  });
}

/**
 * What differs between the stacks, set so that both answer alike: no X-Powered-By, no body-hash
 * ETag (ETag is the stream revision here), problem documents for what Node's parser refuses, and
 * one JSON reader (the strict one, a middleware) with the framework's own parser never running.
 */
export function prepareHttpStack(app: LedgerHttpApp, stack: HttpStack): void {
  if (stack === 'express') {
    const express = app as NestExpressApplication;
    express.disable('x-powered-by');
    express.set('etag', false);
    answerClientErrors(express.getHttpServer());
    return;
  }
  // Fastify sends neither X-Powered-By nor ETags (its etag is a plugin not registered here).
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  // strictJsonBody (a middleware, before routing's body stage) has read the body already: the
  // one parser left hands its result on, for any Content-Type (requireJsonBody refused the others).
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request, _payload, done) => done(null, (request.raw as HttpRequest).body));
  // A route written for Express 5 ends in a named wildcard (`tile/*path`); find-my-way's is a bare
  // `*` (a name after it is refused at start). The value is handed on under the Express name too.
  const wildcardNames = new Map<string, string>();
  fastify.addHook('onRoute', (route) => {
    const named = /\/\*(\w+)$/.exec(route.url);
    if (named === null) return;
    route.url = route.url.slice(0, named.index) + '/*';
    route.path = route.url;
    wildcardNames.set(route.url, named[1]);
  });
  // Guards, filters and the request log read Express's fields off the Node request (http-types.ts).
  fastify.addHook('preHandler', (request, _reply, done) => {
    const raw = request.raw as HttpRequest & { route?: { path: string } };
    const pattern = request.routeOptions.url;
    const params = { ...(request.params as Record<string, string>) };
    const wildcard = pattern === undefined ? undefined : wildcardNames.get(pattern);
    if (wildcard !== undefined) params[wildcard] = params['*'];
    raw.originalUrl = request.originalUrl;
    raw.path = request.originalUrl.split('?')[0];
    raw.params = params;
    raw.query = request.query as Record<string, unknown>;
    if (pattern !== undefined) raw.route = { path: pattern };
    done();
  });
}

/** Resolves once the app takes requests on its Node server (Fastify builds its routes in ready()). */
export async function httpStackReady(app: LedgerHttpApp, stack: HttpStack): Promise<void> {
  if (stack === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
}

/** The app as a Node request listener (Express's app is one; Fastify's router is reached through `routing`). */
export function requestListenerOf(app: LedgerHttpApp, stack: HttpStack): RequestListener {
  if (stack === 'express') {
    // Typed here: @types/express is not installed, so Nest's type for it does not resolve.
    return (app.getHttpAdapter() as { getInstance(): unknown }).getInstance() as RequestListener;
  }
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  return (req, res) => fastify.routing(req, res);
}
