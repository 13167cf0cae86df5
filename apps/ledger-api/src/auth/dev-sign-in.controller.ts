import { Body, Controller, Get, HttpCode, Inject, Post, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ROLES, type Role } from '@ledger/appraisal';
import { APPRAISALS, DISPUTES, UNITS, type AppraisalView, type DisputeView, type ReadStore, type UnitDoc } from '@ledger/read-models';
import type { LedgerConfig } from '../config/config';
import { ApiProblems } from '../docs/api-docs';
import { EnumField, IdField } from '../platform/dto-fields';
import { HttpReq, type HttpRequest } from '../platform/http-types';
import { READ_STORE } from '../platform/ledger-runtime';
import { MinPositionInterceptor } from '../platform/min-position.interceptor';
import { CONFIG } from '../platform/ports';
import { ProblemException } from '../problems/problem';
import { Public } from './auth.guard';
import { loadOrCreateLocalKeys, signLocalToken, ttlSeconds, type LocalKeys } from './local-keys';

/** Roles a development sign-in may take: every account role (MASYARAKAT is nobody's account). */
export const DEV_SIGN_IN_ROLES = ROLES.filter((role) => role !== 'MASYARAKAT');
const DEV_TOKEN_TTL = '8h';
/** The people listed are read from these many documents at most: a development aid, not a directory. */
const MAX_DOCS = 2000;

class AuthSettingsDto {
  @ApiProperty({ enum: ['local', 'oidc'] }) mode!: 'local' | 'oidc';
  @ApiPropertyOptional({ description: 'oidc: the issuer the console signs in with (authorization code + PKCE)' }) issuer?: string;
  @ApiPropertyOptional({ description: 'oidc: the audience (resource) the API accepts tokens for' }) audience?: string;
  @ApiPropertyOptional({ description: "oidc: the console's public client id (OIDC_CLIENT_ID); absent: the console cannot sign in" })
  clientId?: string;
  @ApiProperty({ description: 'local mode and a loopback caller: POST /auth/dev-token answers' }) devSignIn!: boolean;
}

class DevPersonDto {
  @ApiProperty({ example: '199203152019032001' }) id!: string;
  @ApiPropertyOptional({ description: 'The name the ledger recorded (employees only)' }) name?: string;
  @ApiProperty({ enum: DEV_SIGN_IN_ROLES, isArray: true, description: 'The roles this person holds somewhere in the ledger' })
  roles!: Role[];
}

class DevPeopleDto {
  @ApiProperty({ type: [DevPersonDto] }) people!: DevPersonDto[];
}

export class DevTokenDto {
  @IdField({ description: 'The person id (a NIP, or another id such as auditor-01)' }) sub!: string;
  @EnumField(DEV_SIGN_IN_ROLES) role!: Role;
}

class DevTokenResultDto {
  @ApiProperty({ description: 'A bearer token signed with the local key of the data directory' }) token!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

/**
 * How the console signs in. In AUTH_MODE=local a development sign-in lists the people the ledger
 * knows and mints a local token, exactly what `npm run token` does on the same machine: so it
 * answers only a caller on a loopback address (anyone else gets 404 ROUTE_NOT_FOUND, as in oidc
 * mode), never a client across the network of a server left on the local mode.
 */
@ApiTags('auth')
@Public()
@Controller('auth')
export class DevSignInController {
  private keys: Promise<LocalKeys> | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: LedgerConfig,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  @Get('settings')
  @ApiOperation({ summary: 'How to sign in: the auth mode and, with oidc, the issuer, audience and the console client id', security: [] })
  @ApiResponse({ status: 200, type: AuthSettingsDto })
  @ApiProblems(400)
  settings(@HttpReq() request: HttpRequest): AuthSettingsDto {
    const { auth } = this.config;
    if (auth.mode === 'local') return { mode: 'local', devSignIn: isLoopback(request) };
    return {
      mode: 'oidc',
      issuer: auth.issuer,
      audience: auth.audience,
      ...(auth.clientId && { clientId: auth.clientId }),
      devSignIn: false,
    };
  }

  @Get('dev-people')
  @ApiOperation({
    summary: 'Local mode, loopback only: the people of the ledger with the roles they hold, for the development sign-in',
    description: 'Employees, appraisers, superiors, 360 raters, unit leaders, reviewers and whoever opened an appraisal (HR).',
    security: [],
  })
  @UseInterceptors(MinPositionInterceptor)
  @ApiQuery({
    name: 'minPosition',
    required: false,
    type: 'integer',
    description: 'Wait (up to ~3 s) until the read models reached this position',
  })
  @ApiResponse({ status: 200, type: DevPeopleDto })
  @ApiProblems(400, 404, 503)
  async people(@HttpReq() request: HttpRequest): Promise<DevPeopleDto> {
    this.assertDevSignIn(request);
    const people = new Map<string, { name?: string; roles: Set<Role> }>();
    const add = (id: string, role: Role, name?: string) => {
      const person = people.get(id) ?? { roles: new Set<Role>() };
      person.roles.add(role);
      if (name !== undefined) person.name = name;
      people.set(id, person);
    };
    const appraisals = await this.readStore.find<AppraisalView>(APPRAISALS, {}, { limit: MAX_DOCS });
    for (const { doc } of appraisals) {
      add(doc.employeeNip, 'PEGAWAI', doc.employeeName);
      add(doc.appraiserId, 'PEJABAT_PENILAI');
      add(doc.superiorId, 'ATASAN_PEJABAT_PENILAI');
      add(doc.opened.by, 'PENGELOLA_KINERJA');
      // 360 raters are never listed: this answer needs no token, and no answer may name a rater to the
      // appraisee (DOMAIN.md). A tester signs in as a rater by typing the rater's id.
    }
    for (const { doc } of await this.readStore.find<UnitDoc>(UNITS, {}, { limit: MAX_DOCS })) {
      add(doc.leaderId, 'PIMPINAN_UNIT');
      add(doc.upperLeaderId, 'PIMPINAN_UNIT');
    }
    for (const { doc } of await this.readStore.find<DisputeView>(DISPUTES, {}, { limit: MAX_DOCS })) {
      if (doc.reviewerId !== null) add(doc.reviewerId, 'PENINJAU');
    }
    return {
      people: [...people.entries()]
        .map(([id, { name, roles }]) => ({ id, ...(name !== undefined && { name }), roles: DEV_SIGN_IN_ROLES.filter((r) => roles.has(r)) }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    };
  }

  @Post('dev-token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Local mode, loopback only: a token for this person in this role (what `npm run token` mints)',
    description: 'The token grants nothing by itself: every route still checks the relationship to the appraisal.',
    security: [],
  })
  @ApiResponse({ status: 200, type: DevTokenResultDto })
  @ApiProblems(400, 404, 413, 415)
  async devToken(@HttpReq() request: HttpRequest, @Body() body: DevTokenDto): Promise<DevTokenResultDto> {
    this.assertDevSignIn(request);
    // Minting changes no stream: a precondition sent here would be ignored, so it is refused instead.
    if (request.headers['if-match'] !== undefined) {
      throw new ProblemException('INVALID_IF_MATCH', 'POST /auth/dev-token changes no stream and takes no If-Match');
    }
    this.keys ??= loadOrCreateLocalKeys(this.config.dataDir);
    const now = new Date();
    const token = await signLocalToken(await this.keys, { sub: body.sub, role: body.role, ttl: DEV_TOKEN_TTL }, now);
    return { token, expiresAt: new Date(Math.floor(now.getTime() / 1000) * 1000 + ttlSeconds(DEV_TOKEN_TTL) * 1000).toISOString() };
  }

  private assertDevSignIn(request: HttpRequest): void {
    if (this.config.auth.mode !== 'local' || !isLoopback(request)) {
      throw new ProblemException('ROUTE_NOT_FOUND', 'The development sign-in exists only in AUTH_MODE=local, for a caller on this machine');
    }
  }
}

/** The TCP peer, never a header: X-Forwarded-For is whatever the client wrote. */
function isLoopback(request: HttpRequest): boolean {
  const address = request.socket.remoteAddress ?? '';
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}
