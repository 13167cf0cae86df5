import { maskPersonalData } from './personal-data';

describe('masking personal data in a public comment', () => {
  it.each([
    ['NIK 3201234567890123 sudah benar', 'NIK [NIK] sudah benar', ['NIK']],
    ['nik saya 3201 2345 6789 0123', 'nik saya [NIK]', ['NIK']],
    ['hubungi 081234567890 ya', 'hubungi [NOMOR TELEPON] ya', ['NOMOR_TELEPON']],
    ['telp +62 812-3456-7890', 'telp [NOMOR TELEPON]', ['NOMOR_TELEPON']],
    ['kantor (021) 5551234', 'kantor ([NOMOR TELEPON]', ['NOMOR_TELEPON']],
    ['email budi.s@contoh.co.id', 'email [EMAIL]', ['EMAIL']],
    ['a@b.id, 3201234567890123, 08123456789', '[EMAIL], [NIK], [NOMOR TELEPON]', ['NIK', 'NOMOR_TELEPON', 'EMAIL']],
  ])('%s', (text, masked, kinds) => {
    expect(maskPersonalData(text)).toEqual({ text: masked, masked: kinds });
  });

  it('leaves ordinary text and short numbers alone (a queue number, a year, a price)', () => {
    for (const text of ['Antrian nomor 12, tahun 2026, biaya Rp 50.000', 'Pelayanan cepat dan ramah', 'Loket 3 buka 08.00-15.00']) {
      expect(maskPersonalData(text)).toEqual({ text, masked: [] });
    }
  });
});
