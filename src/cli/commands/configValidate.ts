// pt config validate: prints `config OK (N files)`, or every violation and then fails with the config id.
import { checkConfig, configFailureId } from '../../config/loadConfig.js';
import { PtError } from '../../core/ptError.js';
import { formatViolation } from '../../config/violation.js';
import type { RawOptions } from '../options/cliOptions.js';
import { parseConfigValidateOptions } from '../options/parseConfigValidateOptions.js';

export async function runConfigValidate(raw: RawOptions): Promise<number> {
  const check = checkConfig(parseConfigValidateOptions(raw).dir);
  if (check.violations.length === 0) {
    process.stdout.write(`config OK (${check.files} files) in ${check.dir}\n`);
    return 0;
  }
  for (const v of check.violations) process.stdout.write(`${formatViolation(v)}\n`);
  // The id names the most basic problem (YAML, then a missing file); main prints the one ERROR line.
  throw new PtError(
    configFailureId(check.violations),
    `${check.violations.length} violation${check.violations.length > 1 ? 's' : ''} in ${check.dir}`,
    { source: 'config', details: { violations: check.violations } },
  );
}
