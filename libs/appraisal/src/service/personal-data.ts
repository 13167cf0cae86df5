/**
 * Personal data a citizen may type into a comment without meaning to publish it: a NIK (the 16-digit
 * national identity number), a phone number, an e-mail address. Each is masked before the comment is
 * stored; the event records which kinds were masked (never what they were), and the answer says so.
 * This is the one declared transformation of what a request sends.
 */
export const PERSONAL_DATA_KINDS = ['NIK', 'NOMOR_TELEPON', 'EMAIL'] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

// Order matters: an e-mail may hold digits, and a NIK is a long digit run a phone pattern would also take.
const PATTERNS: ReadonlyArray<[PersonalDataKind, RegExp]> = [
  ['EMAIL', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g],
  // 16 digits, possibly grouped by spaces, dots or dashes (3201 2345 6789 0123), not part of a longer number.
  ['NIK', /(?<![\d])\d(?:[ .-]?\d){15}(?![\d])/g],
  // Indonesian numbers: +62 / 62 / 0, then 8xx (mobile) or an area code, 8-13 digits in all, separators allowed.
  ['NOMOR_TELEPON', /(?<![\d+])(?:\+62|62|0)[ .-]?\(?\d{2,4}\)?(?:[ .-]?\d){5,10}(?![\d])/g],
];

export const MASK: Record<PersonalDataKind, string> = { NIK: '[NIK]', NOMOR_TELEPON: '[NOMOR TELEPON]', EMAIL: '[EMAIL]' };

export interface Masked {
  text: string;
  /** Kinds found and masked, in PERSONAL_DATA_KINDS order; [] when the text had none. */
  masked: PersonalDataKind[];
}

export function maskPersonalData(text: string): Masked {
  let out = text;
  const found = new Set<PersonalDataKind>();
  for (const [kind, pattern] of PATTERNS) {
    out = out.replace(pattern, () => {
      found.add(kind);
      return MASK[kind];
    });
  }
  return { text: out, masked: PERSONAL_DATA_KINDS.filter((k) => found.has(k)) };
}
