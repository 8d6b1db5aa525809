// Renders the sample report to PNG with headless Chromium through scripts/render-report.mjs.
// Like the services: without Chromium it fails under CI=true and skips, saying why, elsewhere.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isCi } from '../../helpers/services.js';

/** PT_REPORT_CHROMIUM overrides the path (set it to a missing file to see the skip). */
const CHROMIUM = process.env.PT_REPORT_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SCRIPT = fileURLToPath(new URL('../../../scripts/render-report.mjs', import.meta.url));

if (!hasChromium && !isCi) {
  console.warn(`[skip] ${CHROMIUM} not found: the PNG render check is skipped (apt-get install -y chromium)`);
}

describe('headless Chromium render of the sample report', () => {
  it.skipIf(!hasChromium && !isCi)('renders the report to a non-trivial PNG', () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} not found, and CI=true requires it (apt-get install -y chromium)`);
    const dir = mkdtempSync(join(tmpdir(), 'pt-report-test-'));
    try {
      const out = execFileSync(process.execPath, [SCRIPT, '--out-dir', dir, '--chromium', CHROMIUM], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      const result = JSON.parse(out.trim()) as { html: string; png: string; pngBytes: number };
      expect(result.png).toBe(join(dir, 'report.png'));
      expect(statSync(result.html).size).toBeGreaterThan(10_000);
      const size = statSync(result.png).size;
      expect(size).toBe(result.pngBytes);
      expect(size).toBeGreaterThan(20 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
