import { uuidV5 } from './deterministic-id';

describe('uuidV5', () => {
  it('matches the RFC 9562 test vector (DNS namespace, www.example.com)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('is stable for the same inputs and differs per name and per namespace', () => {
    const ns = '0b3c5a52-7b7e-4f0e-9a55-0f3d7c1f2a10';
    expect(uuidV5(ns, '2026-199001012020121001')).toBe(uuidV5(ns, '2026-199001012020121001'));
    expect(uuidV5(ns, '2026-199001012020121001')).not.toBe(uuidV5(ns, '2026-199001012020121002'));
    expect(uuidV5(ns, 'a')).not.toBe(uuidV5('1b3c5a52-7b7e-4f0e-9a55-0f3d7c1f2a10', 'a'));
  });
});
