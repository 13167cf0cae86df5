import fc from 'fast-check';
import { hashEvent, toHashedFields } from '../chain';
import { GENESIS_HASH } from '../envelope';
import { InvalidEventError } from '../errors';
import { newEvent } from '../testing/events';
import { hashPrepared, prepareAppend } from './prepared-append';

// Any JSON value, including keys that sort differently by code unit than by code point, and unicode.
const jsonData = fc.dictionary(
  fc.string({ unit: 'grapheme' }),
  fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown),
);

describe('prepared appends', () => {
  it('hash exactly as hashEvent(toHashedFields(event)) does, for any data, metadata, stream and revision', () => {
    fc.assert(
      fc.property(
        jsonData,
        jsonData,
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.nat(),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        (data, extraMetadata, streamId, streamRevision, type) => {
          const base = newEvent({ data, type });
          const event = { ...base, metadata: { ...extraMetadata, ...base.metadata } };
          const [prepared] = prepareAppend(streamId, 'any', [event]).events;
          const prevHash = streamRevision === 0 ? GENESIS_HASH : 'ab'.repeat(32);
          expect(hashPrepared(prepared, streamId, streamRevision, prevHash)).toBe(
            hashEvent(toHashedFields({ ...event, streamId, streamRevision, prevHash })),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps what toJSON gives (a Date) and refuses what has no faithful JSON form, before anything is queued', () => {
    const at = new Date('2026-01-05T03:00:00.000Z');
    const [prepared] = prepareAppend('s', 'no_stream', [newEvent({ data: { at } })]).events;
    expect(prepared.data).toBe('{"at":"2026-01-05T03:00:00.000Z"}');
    for (const bad of [Number.NaN, Infinity, 10n, '\ud800']) {
      expect(() => prepareAppend('s', 'no_stream', [newEvent({ data: { bad } })])).toThrow(InvalidEventError);
    }
  });
});
