import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { requestOf } from '../platform/http-types';
import { ProblemException } from '../problems/problem';
import { InvalidTokenError, type TokenVerifier } from './token-verifier';

export const TOKEN_VERIFIER = Symbol('TokenVerifier');
const PUBLIC = 'ledger:public';

/** Marks a route that needs no token (health). Everything else requires a valid bearer token. */
export const Public = () => SetMetadata(PUBLIC, true);

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = requestOf(context);
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? '');
    if (match === null) throw unauthenticated('A bearer token is required (Authorization: Bearer <token>)');
    try {
      request.actor = await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw unauthenticated(`Invalid token: ${error.message}`, error.code);
      throw error;
    }
    return true;
  }
}

const unauthenticated = (detail: string, code: 'UNAUTHENTICATED' | 'TOKEN_KEY_RETIRED' = 'UNAUTHENTICATED') =>
  new ProblemException(code, detail, { headers: { 'WWW-Authenticate': 'Bearer realm="appraisal-ledger"' } });
