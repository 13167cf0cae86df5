import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_CODES } from '@ledger/appraisal';
import { DOMAIN_KIND_STATUS, EDGE_PROBLEMS, problemType } from '../problems/problem';

/** Every problem code the API can answer with, as a table in the API description. */
function codeTable(): string {
  const rows = [
    ...Object.entries(EDGE_PROBLEMS).map(([code, { status, title }]) => `| ${code} | ${status} | ${title} |`),
    ...Object.entries(ERROR_CODES).map(([code, { kind, description }]) => `| ${code} | ${DOMAIN_KIND_STATUS[kind]} | ${description} |`),
  ];
  return ['| code | status | meaning |', '|---|---|---|', ...rows].join('\n');
}

const DESCRIPTION = `Event-sourced ledger of ASN performance appraisals (PP 30/2019, PermenPANRB 6/2022).

Every command appends immutable events; its answer carries the stream revision (ETag; send it back as
If-Match to refuse acting on a stale view) and the global position (X-Ledger-Position; pass it as
?minPosition= on a query to read your own writes). The actor is the bearer token's \`sub\` and \`role\`.

Errors are RFC 7807 problem details (\`application/problem+json\`) with a stable \`code\`; \`type\` is
\`${problemType('EXAMPLE_CODE').replace('example-code', '<code-lower-case-dashed>')}\`.

${codeTable()}`;

/** The OpenAPI document of the app, as /docs-json serves it (also written by write-openapi for the lint). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Appraisal ledger API')
    .setDescription(DESCRIPTION)
    .setVersion('0.1.0')
    // Same origin: the document is served by the api it describes, wherever that runs.
    .addServer('/', 'This api')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // No licence URL exists for a private product (package.json: UNLICENSED); the name says so.
  document.info.license = { name: 'UNLICENSED (private)' };
  return document;
}

export function setupSwagger(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  // Serves the UI at /docs and the document at /docs-json.
  SwaggerModule.setup('docs', app, document);
}
