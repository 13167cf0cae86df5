import { PERIODS, type Period } from '../vocabulary';

/**
 * The nine elements (unsur) of the Survei Kepuasan Masyarakat, PermenPANRB 14/2017, in the order of
 * its annex. Each is scored 1 (tidak sesuai / sangat tidak puas) to 4 (sangat sesuai / sangat puas).
 */
export const SKM_ELEMENTS = [
  'PERSYARATAN',
  'SISTEM_MEKANISME_PROSEDUR',
  'WAKTU_PENYELESAIAN',
  'BIAYA_TARIF',
  'PRODUK_SPESIFIKASI_JENIS_PELAYANAN',
  'KOMPETENSI_PELAKSANA',
  'PERILAKU_PELAKSANA',
  'PENANGANAN_PENGADUAN_SARAN_MASUKAN',
  'SARANA_PRASARANA',
] as const;
export type SkmElement = (typeof SKM_ELEMENTS)[number];
export type SkmScores = Record<SkmElement, number>;
export const SKM_MIN_SCORE = 1;
export const SKM_MAX_SCORE = 4;

/** Mutu pelayanan: the annex's grade of the IKM on its 25-100 scale. */
export const IKM_GRADES = ['A', 'B', 'C', 'D'] as const;
export type IkmGrade = (typeof IKM_GRADES)[number];

/** The annex's bands on the converted scale, written to two decimals (A 88.31-100, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99). */
const BANDS: ReadonlyArray<{ grade: IkmGrade; fromHundredths: number; label: string }> = [
  { grade: 'A', fromHundredths: 8831, label: 'Sangat Baik' },
  { grade: 'B', fromHundredths: 7661, label: 'Baik' },
  { grade: 'C', fromHundredths: 6500, label: 'Kurang Baik' },
  { grade: 'D', fromHundredths: 2500, label: 'Tidak Baik' },
];

/** Running totals of a group of responses: what a read model keeps, so the index is exact at any time. */
export interface SkmTally {
  responses: number;
  /** Per element, the sum of the scores given (the annex's "total nilai persepsi per unsur"). */
  sums: SkmScores;
}

export const emptyTally = (): SkmTally => ({
  responses: 0,
  sums: Object.fromEntries(SKM_ELEMENTS.map((e) => [e, 0])) as SkmScores,
});

export const addToTally = (tally: SkmTally, scores: SkmScores): SkmTally => ({
  responses: tally.responses + 1,
  sums: Object.fromEntries(SKM_ELEMENTS.map((e) => [e, tally.sums[e] + scores[e]])) as SkmScores,
});

export const mergeTallies = (tallies: readonly SkmTally[]): SkmTally =>
  tallies.reduce(
    (all, t) => ({
      responses: all.responses + t.responses,
      sums: Object.fromEntries(SKM_ELEMENTS.map((e) => [e, all.sums[e] + t.sums[e]])) as SkmScores,
    }),
    emptyTally(),
  );

/** a/b rounded half up to two decimals, in integers (no binary fraction decides a band). */
const hundredths = (numerator: number, denominator: number): number => Math.floor((200 * numerator + denominator) / (2 * denominator));

export interface IkmResult {
  responses: number;
  /** NRR per unsur: each element's mean score (1-4), to two decimals. */
  elementMeans: SkmScores;
  /** The index on the 1-4 scale (the weighted mean of the element means), to four decimals. */
  index: number;
  /** IKM converted to 25-100 (index × 25), to two decimals. */
  ikm: number;
  grade: IkmGrade;
  gradeLabel: string;
}

/**
 * IKM per the annex of PermenPANRB 14/2017: each element's mean (NRR per unsur), weighted equally
 * (1/9 each: "jumlah bobot / jumlah unsur"), summed, and converted by × 25. Every response scores all
 * nine elements, so the weighted mean of the means is the total of all scores / (9 × responses):
 * computed exactly here, with the weight 1/9 itself, not the annex's printed 0,111 (which gives 99.90,
 * not 100, for all 4s). Rounded once, to the two decimals the grade bands are written in.
 * null for no responses.
 */
export function ikmOf(tally: SkmTally): IkmResult | null {
  const n = tally.responses;
  if (n === 0) return null;
  const total = SKM_ELEMENTS.reduce((sum, e) => sum + tally.sums[e], 0);
  const elementMeans = Object.fromEntries(SKM_ELEMENTS.map((e) => [e, hundredths(tally.sums[e], n) / 100])) as SkmScores;
  const ikmHundredths = hundredths(25 * total, SKM_ELEMENTS.length * n);
  const index = Math.floor((20000 * total + SKM_ELEMENTS.length * n) / (2 * SKM_ELEMENTS.length * n)) / 10000;
  const band = BANDS.find((b) => ikmHundredths >= b.fromHundredths) ?? BANDS[BANDS.length - 1];
  return { responses: n, elementMeans, index, ikm: ikmHundredths / 100, grade: band.grade, gradeLabel: band.label };
}

/** A quarter's feedback also counts in the year: TAHUNAN folds all four. */
export function periodsOfQuarter(quarter: Period): Period[] {
  return quarter === 'TAHUNAN' ? ['TAHUNAN'] : [quarter, 'TAHUNAN'];
}

/** The quarter (Triwulan) of a local date YYYY-MM-DD. */
export function quarterOf(localDate: string): Period {
  const month = Number(localDate.slice(5, 7));
  return PERIODS[Math.floor((month - 1) / 3)];
}
