import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { LedgerConfig } from '../config/config';
import { ApiProblems } from '../docs/api-docs';
import { type HttpResponse, setHeaders } from '../platform/http-types';
import { CONFIG } from '../platform/ports';
import { Public } from './auth.guard';
import { localJwks } from './local-keys';

class JwkDto {
  @ApiProperty({ enum: ['EC'] }) kty!: string;
  @ApiProperty({ enum: ['P-256'] }) crv!: string;
  @ApiProperty() x!: string;
  @ApiProperty() y!: string;
  @ApiProperty({ description: 'Key id (RFC 7638 thumbprint): the kid in the header of the tokens it signs' }) kid!: string;
  @ApiProperty({ enum: ['ES256'] }) alg!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
}

class JwksDto {
  @ApiProperty({ type: [JwkDto], description: 'The active key and the earlier ones not retired; empty under AUTH_MODE=oidc' })
  keys!: JwkDto[];
}

/** The public keys of AUTH_MODE=local tokens (RFC 7517), re-read on every request: a rotation shows at once. */
@ApiTags('health')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(CONFIG) private readonly config: LedgerConfig) {}

  @Get('jwks.json')
  @Public()
  @ApiOperation({
    summary: 'The public keys that verify local tokens (JWKS); under AUTH_MODE=oidc the identity provider publishes its own',
    security: [],
  })
  @ApiResponse({ status: 200, type: JwksDto })
  @ApiProblems(400)
  async jwks(@Res({ passthrough: true }) response: HttpResponse): Promise<JwksDto> {
    setHeaders(response, { 'Cache-Control': 'max-age=60' });
    if (this.config.auth.mode !== 'local') return { keys: [] };
    return (await localJwks(this.config.dataDir)) as unknown as JwksDto;
  }
}
