import type { Actor, Role } from '@ledger/appraisal';
import { isLoggedRead, mayRead, type ReadRelations } from './access';

const r: ReadRelations = {
  employeeNip: 'emp',
  appraiserId: 'appr',
  superiorId: 'sup',
  unitLeaders: ['lead', 'upper'],
  activeReviewers: ['rev'],
  disputed: true,
};
const actor = (id: string, role: Role): Actor => ({ id, role });

describe('who may read an appraisal', () => {
  it.each([
    [actor('anyone', 'AUDITOR'), true],
    [actor('anyone', 'PENGELOLA_KINERJA'), true],
    [actor('emp', 'PEGAWAI'), true],
    [actor('other', 'PEGAWAI'), false],
    [actor('appr', 'PEJABAT_PENILAI'), true],
    [actor('appr', 'PEGAWAI'), false],
    [actor('sup', 'ATASAN_PEJABAT_PENILAI'), true],
    [actor('appr', 'ATASAN_PEJABAT_PENILAI'), false],
    [actor('upper', 'PIMPINAN_UNIT'), true],
    [actor('other', 'PIMPINAN_UNIT'), false],
    [actor('rev', 'PENINJAU'), true],
    [actor('other', 'PENINJAU'), false],
    [actor('emp', 'REKAN_KERJA'), false],
  ])('%j → %s', (who, allowed) => {
    expect(mayRead(who, r)).toBe(allowed);
  });

  it('logs reads of a disputed appraisal by reviewers and auditors only', () => {
    expect(isLoggedRead(actor('rev', 'PENINJAU'), r)).toBe(true);
    expect(isLoggedRead(actor('a', 'AUDITOR'), r)).toBe(true);
    expect(isLoggedRead(actor('sup', 'ATASAN_PEJABAT_PENILAI'), r)).toBe(false);
    expect(isLoggedRead(actor('a', 'AUDITOR'), { ...r, disputed: false })).toBe(false);
  });
});
