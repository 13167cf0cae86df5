import { Controller, Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiPropertyOptional, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { ApiProblems } from '../docs/api-docs';
import { HttpReq, type HttpRequest, type HttpResponse, sendBody, setHeaders } from '../platform/http-types';
import { validationFailed } from '../problems/validation';
import { LedgerLogService } from './ledger-log.service';

class CosignatureDto {
  @ApiProperty({ example: 'witness.example/w1' }) cosigner!: string;
  @ApiProperty({ description: "The witness's timestamp, POSIX seconds" }) cosignedAt!: number;
}

class CheckpointSummaryDto {
  @ApiProperty() size!: number;
  @ApiProperty({ description: 'Root hash, base64' }) root!: string;
  @ApiProperty({ format: 'date-time' }) signedAt!: string;
  @ApiProperty({ type: [CosignatureDto] }) cosignatures!: CosignatureDto[];
}

class WitnessRefusalDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() treeSize!: number;
  @ApiProperty() oldSize!: number;
  @ApiProperty() status!: number;
  @ApiProperty() body!: string;
}

class WitnessStatusDto {
  @ApiProperty() name!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ description: 'The largest tree size this witness has cosigned' }) cosignedSize!: number;
  @ApiProperty({ type: 'integer', nullable: true }) witnessSize!: number | null;
  @ApiProperty({ type: 'string', nullable: true }) lastError!: string | null;
  @ApiProperty({ type: [WitnessRefusalDto], description: 'Checkpoints the witness refused: evidence of an inconsistent history' })
  refusals!: WitnessRefusalDto[];
}

class LogStatusDto {
  @ApiProperty({ example: 'appraisal-ledger.local/3f2a9c1e' }) origin!: string;
  @ApiProperty({ description: 'C2SP signed-note verifier key of the log' }) verifierKey!: string;
  @ApiProperty() treeSize!: number;
  @ApiPropertyOptional({ type: CheckpointSummaryDto, nullable: true, description: 'The latest signed checkpoint' })
  latest!: CheckpointSummaryDto | null;
  @ApiPropertyOptional({ type: CheckpointSummaryDto, nullable: true, description: 'The latest checkpoint with the quorum of cosignatures' })
  published!: CheckpointSummaryDto | null;
  @ApiProperty({ description: 'Witness cosignatures a checkpoint needs to be published (LEDGER_WITNESS_QUORUM)' }) quorum!: number;
  @ApiProperty({ type: [WitnessStatusDto] }) witnesses!: WitnessStatusDto[];
}

class LogKeyDto {
  @ApiProperty({ example: '3f3c940f' }) keyId!: string;
  @ApiProperty({ description: 'C2SP signed-note verifier key' }) vkey!: string;
  @ApiProperty({
    enum: ['ACTIVE', 'CO_SIGNING', 'RETIRED'],
    description: 'ACTIVE signs; CO_SIGNING still signs beside it (a rotation in progress); RETIRED signed earlier checkpoints only',
  })
  state!: 'ACTIVE' | 'CO_SIGNING' | 'RETIRED';
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When it became an earlier key (null for the active one)',
  })
  addedAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) retiredAt!: string | null;
}

class LogKeysDto {
  @ApiProperty() origin!: string;
  @ApiProperty({ type: [LogKeyDto], description: 'Newest first: every key a verifier of the whole history needs' }) keys!: LogKeyDto[];
}

class InclusionProofDto {
  @ApiProperty() leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ description: "The event's hash (hex): the leaf's entry is its 32 bytes" }) eventHash!: string;
  @ApiProperty({ description: 'SHA-256(0x00 ‖ entry), base64' }) leafHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 §2.1.3 inclusion path, base64, leaf upwards' }) hashes!: string[];
  @ApiProperty({ description: 'Root of the tree of treeSize, base64' }) root!: string;
}

class ConsistencyProofDto {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @ApiProperty({ type: [String], description: 'RFC 9162 §2.1.4 consistency proof, base64' }) hashes!: string[];
}

const TEXT = 'text/plain; charset=utf-8';

/**
 * The Merkle log, for anyone: auditors, reviewers' clients, witnesses and standard tlog clients
 * (C2SP tlog-tiles). Everything here is hashes and signatures: no personal data, so no token.
 */
@ApiTags('log')
@Public()
@Controller('log')
export class LogController {
  constructor(@Inject(LedgerLogService) private readonly log: LedgerLogService) {}

  @Get('checkpoint')
  @Header('Content-Type', TEXT)
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({
    summary: 'The latest published checkpoint (C2SP tlog-checkpoint, signed note) with its witness cosignatures',
    description:
      'Published = cosigned by LEDGER_WITNESS_QUORUM witnesses (with a quorum of 0: the latest signed). The note is what clients verify with the key from GET /log/key.',
    security: [],
  })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'The signed note', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiProblems(400, 404)
  checkpoint(): string {
    return this.log.publishedNote();
  }

  @Get('checkpoints/:size')
  @ApiOperation({ summary: 'The checkpoint signed at this tree size (one per commit), with the cosignatures it has', security: [] })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'The signed note', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiProblems(400, 404)
  checkpointOfSize(@Param('size') size: string, @Res({ passthrough: true }) response: HttpResponse): string {
    const note = this.log.noteOfSize(parseSize(size, 'size'));
    // Set here, not by decorator: a 404 for a size not yet signed must not be cached for a year.
    setHeaders(response, { 'Content-Type': TEXT, 'Cache-Control': 'public, max-age=31536000, immutable' });
    return note;
  }

  @Get('key')
  @Header('Content-Type', TEXT)
  @ApiOperation({
    summary: "The log's verifier key (C2SP signed-note vkey: <origin>+<key id>+<base64 Ed25519 key>)",
    description: 'Auditors should take the key from the ledger operator out of band and compare.',
    security: [],
  })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'One line', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiProblems(400, 404)
  key(): string {
    return `${this.log.verifierKey()}\n`;
  }

  @Get('keys')
  @ApiOperation({
    summary:
      'Every key of the log across its rotations: the active one, earlier ones still co-signing, retired ones (for the history they signed)',
    security: [],
  })
  @ApiResponse({ status: 200, type: LogKeysDto })
  @ApiProblems(400, 404)
  keys(): LogKeysDto {
    return this.log.keys();
  }

  @Get('status')
  @ApiOperation({ summary: 'Size, latest and published checkpoints, the quorum and each witness (with any refusal)', security: [] })
  @ApiResponse({ status: 200, type: LogStatusDto })
  @ApiProblems(400, 404)
  status(): LogStatusDto {
    return this.log.status();
  }

  @Get('proof/inclusion')
  @ApiOperation({
    summary: 'Inclusion proof of an event (by eventId or leafIndex) in the tree of treeSize (default: the latest)',
    security: [],
  })
  @ApiQuery({ name: 'eventId', required: false, type: String })
  @ApiQuery({ name: 'leafIndex', required: false, type: 'integer' })
  @ApiQuery({ name: 'treeSize', required: false, type: 'integer' })
  @ApiResponse({ status: 200, type: InclusionProofDto })
  @ApiProblems(400, 404)
  inclusion(
    @Query('eventId') eventId: unknown,
    @Query('leafIndex') leafIndex: unknown,
    @Query('treeSize') treeSize: unknown,
  ): InclusionProofDto {
    if ((eventId === undefined) === (leafIndex === undefined)) {
      throw validationFailed([{ field: 'eventId', messages: ['give exactly one of eventId and leafIndex'] }]);
    }
    if (eventId !== undefined && (typeof eventId !== 'string' || !/^[0-9a-fA-F-]{1,64}$/.test(eventId))) {
      throw validationFailed([{ field: 'eventId', messages: ['eventId must be an event id'] }]);
    }
    return this.log.inclusion(
      typeof eventId === 'string' ? { eventId } : { leafIndex: parseSize(leafIndex, 'leafIndex') },
      treeSize === undefined ? undefined : parseSize(treeSize, 'treeSize'),
    );
  }

  @Get('proof/consistency')
  @ApiOperation({ summary: 'Consistency proof from tree size `from` (>= 1) to tree size `to` (RFC 9162 §2.1.4)', security: [] })
  @ApiQuery({ name: 'from', required: true, type: 'integer' })
  @ApiQuery({ name: 'to', required: true, type: 'integer' })
  @ApiResponse({ status: 200, type: ConsistencyProofDto })
  @ApiProblems(400, 404)
  consistency(@Query('from') from: unknown, @Query('to') to: unknown): ConsistencyProofDto {
    const [a, b] = [parseSize(from, 'from'), parseSize(to, 'to')];
    // RFC 9162 proves consistency from a non-empty tree only (Go tlog's CheckTree refuses size 0).
    if (a === 0)
      throw validationFailed([{ field: 'from', messages: ['from must be at least 1: the empty tree is a prefix of every tree'] }]);
    if (a > b) throw validationFailed([{ field: 'from', messages: [`from (${a}) must not be larger than to (${b})`] }]);
    return this.log.consistency(a, b);
  }

  @Get('tile/*path')
  @ApiOperation({
    summary:
      'C2SP tlog-tiles: /log/tile/<L>/<N>[.p/<W>] (hashes) and /log/tile/entries/<N>[.p/<W>] (entry bundles: uint16-length-prefixed 32-byte event hashes)',
    security: [],
  })
  @ApiParam({
    name: 'path',
    type: String,
    description: '<L>/<N>[.p/<W>] or entries/<N>[.p/<W>], N in 3-digit x-prefixed elements (x001/x234/067)',
  })
  @ApiProduces('application/octet-stream')
  @ApiResponse({
    status: 200,
    description: 'The tile',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(400, 404)
  tile(@HttpReq() request: HttpRequest, @Res() response: HttpResponse): void {
    const path = (request.path ?? '').replace(/^\/log\/tile\//, '');
    const body = this.log.tile(path);
    sendBody(response, 200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'public, max-age=31536000, immutable' }, body);
  }
}

function parseSize(raw: unknown, field: string): number {
  if (typeof raw !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw validationFailed([{ field, messages: [`${field} must be a non-negative integer without leading zeros`] }]);
  }
  return Number(raw);
}
