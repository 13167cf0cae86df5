import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTEGRITY_PROBLEM_KINDS } from './verify';

// The one list of what a verifier reports: each kind is documented for auditors who verify with their own code.
describe('INTEGRITY_PROBLEM_KINDS', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/ledger-format.md'), 'utf8');
  it.each(INTEGRITY_PROBLEM_KINDS)('%s is named in docs/ledger-format.md', (kind) => {
    expect(doc).toContain(`\`${kind}\``);
  });
});
