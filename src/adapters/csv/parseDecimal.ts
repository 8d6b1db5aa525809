// Decimal parsing straight from a line's characters, so the hot loop allocates no substring.

const POW10: number[] = [];
for (let i = 0; i <= 22; i++) POW10.push(10 ** i);

/**
 * Parses `s[a, b)` as a finite decimal (`-1.25`, `154759.0`, `1e3`); NaN when it is not one.
 * Up to 15 significant digits the result is an exact integer divided by an exact power of ten,
 * which IEEE division rounds correctly, i.e. the same double `Number()` gives.
 */
export function parseDecimal(s: string, a: number, b: number): number {
  let i = a;
  let negative = false;
  let c = s.charCodeAt(i);
  if (c === 45) {
    negative = true;
    i++;
  } else if (c === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < b; i++) {
    c = s.charCodeAt(i);
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 && fraction < 0) {
      fraction = 0;
    } else {
      return parseSlow(s, a, b);
    }
  }
  if (digits === 0) return NaN;
  if (digits > 15 || fraction > 22) return parseSlow(s, a, b);
  const value = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
  return negative ? -value : value;
}

/** Exponents and long mantissas (`103428.00000000001`): rare, so a substring is fine here. */
function parseSlow(s: string, a: number, b: number): number {
  let sawDigit = false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) sawDigit = true;
    else if (c !== 46 && c !== 43 && c !== 45 && c !== 101 && c !== 69) return NaN;
  }
  if (!sawDigit) return NaN;
  const value = Number(s.slice(a, b));
  return Number.isFinite(value) ? value : NaN;
}
