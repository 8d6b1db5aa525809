import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DateTimeReader } from '../../../src/adapters/csv/dateTimeReader.js';
import { parseDecimal } from '../../../src/adapters/csv/parseDecimal.js';

const decimal = (s: string): number => parseDecimal(s, 0, s.length);

describe('parseDecimal', () => {
  it('gives exactly what Number() gives for decimals of up to 15 digits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -99_999_999_999, max: 999_999_999_999_999 }),
        fc.integer({ min: 0, max: 12 }),
        (m, k) => {
          const text =
            k === 0
              ? String(m)
              : `${m < 0 ? '-' : ''}${String(Math.abs(m))
                  .padStart(k + 1, '0')
                  .replace(new RegExp(`(\\d{${k}})$`), '.$1')}`;
          expect(decimal(text)).toBe(Number(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('handles long mantissas and exponents, and rejects what is not a number', () => {
    expect(decimal('103428.00000000001')).toBe(103428.00000000001);
    expect(decimal('1.5e3')).toBe(1500);
    for (const bad of ['', '.', '-', 'abc', '1,5', '0x10', 'Infinity', '1e999', '1.2.3'])
      expect(decimal(bad)).toBeNaN();
  });
});

describe('DateTimeReader', () => {
  const r = new DateTimeReader();
  const dt = (s: string): number => r.readDateTime(s, 0, s.length);

  it.each([
    ['2023-01-02 03:04:05', '2023-01-02T03:04:05Z'],
    ['2023.01.02 03:04', '2023-01-02T03:04:00Z'],
    ['2023/01/02T03:04:05.250', '2023-01-02T03:04:05.250Z'],
    ['20230102 030405', '2023-01-02T03:04:05Z'],
    ['20230102030405', '2023-01-02T03:04:05Z'],
    ['2023-01-02', '2023-01-02T00:00:00Z'],
    ['2023-01-02T05:04:05+02:00', '2023-01-02T03:04:05Z'],
    ['2024-02-29 23:59', '2024-02-29T23:59:00Z'],
  ])('%s', (text, iso) => expect(dt(text)).toBe(Date.parse(iso)));

  it('rejects impossible dates and times', () => {
    for (const bad of [
      '2023-02-29 00:00',
      '2023-13-01',
      '2023-01-02 24:00',
      '2023-01-02 10:60',
      '02/01/2023 10:00',
      'yesterday',
    ])
      expect(dt(bad)).toBeNaN();
  });
});
