// The EA's include files must stay in the subset of MQL5 that is also C++: what g++ compiles in
// eaLogic.test.ts is then what MetaEditor compiles. This rejects the C++-only (and MQL5-only) tokens.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '..', '..', 'mt5', 'Include', 'PairTrade');

const FORBIDDEN: [RegExp, string][] = [
  [/std::/, 'std::'],
  [/#\s*include\s*</, '#include <...> (use #include "..." of a sibling file)'],
  [/\bauto\b/, 'auto'],
  [/\btemplate\b/, 'template'],
  [/\btypename\b/, 'typename'],
  [/\bnullptr\b/, 'nullptr'],
  [/\bnamespace\b|\busing\b/, 'namespace / using'],
  [/\b(static_cast|reinterpret_cast|const_cast|dynamic_cast)\b/, 'C++ casts'],
  [/\b(try|catch|throw|constexpr|inline|unsigned|long\s+long|size_t)\b/, 'C++-only keyword or type'],
  [/\bnew\b|\bdelete\b|->/, 'new / delete / -> (no pointers in the shared subset)'],
  [/\w\s*\[\s*\]/, 'a dynamic array ([])'],
  [/#\s*property\b/, '#property'],
  [/^\s*(input|sinput)\b/m, 'input parameters'],
  [/\bD'/, "D'...' literals"],
  [/\bArray(Resize|Size)\s*\(/, 'ArrayResize / ArraySize'],
  [/\bprintf\b|\bcout\b|\bcerr\b/, 'C I/O'],
];

/** The text without comments and string or character literals, with MQL5-only blocks (#ifdef __MQL5__ ... #endif) dropped. */
function codeOf(text: string): string {
  let out = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
  out = out.replace(/"(?:[^"\\\n]|\\.)*"/g, '""').replace(/'(?:[^'\\\n]|\\.)'/g, "'x'");
  return out.replace(/#ifdef\s+__MQL5__[\s\S]*?#endif/g, '');
}

function violations(text: string): string[] {
  const code = codeOf(text);
  return FORBIDDEN.filter(([re]) => re.test(code)).map(([, what]) => what);
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.mqh'));

describe('the EA include files stay in the MQL5 ∩ C++ subset', () => {
  it('finds the include files', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const f of files) {
    it(f, () => {
      expect(violations(readFileSync(join(DIR, f), 'utf8'))).toEqual([]);
    });
  }

  it('catches each kind of token', () => {
    expect(violations('std::string s;')).toContain('std::');
    expect(violations('#include <string>')).toHaveLength(1);
    expect(violations('auto x = 1;')).toContain('auto');
    expect(violations('template<class T> T f();')).toContain('template');
    expect(violations('void f(double &a[]) {}')).toContain('a dynamic array ([])');
    expect(violations('int *p = nullptr;')).toContain('nullptr');
    expect(violations('#property strict')).toContain('#property');
    expect(violations('input int Magic = 1;')).toContain('input parameters');
    expect(violations("datetime t = D'2024.01.01';")).toContain("D'...' literals");
    expect(violations('a->b();')).toHaveLength(1);
    // comments, strings and MQL5-only blocks are not code of the subset
    expect(violations('// std::vector\nstring s = "auto []";\n#ifdef __MQL5__\ninput int X = 1;\n#endif\n')).toEqual(
      [],
    );
  });
});
