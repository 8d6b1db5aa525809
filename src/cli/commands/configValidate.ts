// pt config validate: prints `config OK (N files)` or every violation, exit 1.
import { checkConfig } from '../../config/loadConfig.js';
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
  process.stderr.write(
    `ERROR CORE_CONFIG_INVALID: ${check.violations.length} violation${check.violations.length > 1 ? 's' : ''} in ${check.dir}\n`,
  );
  return 1;
}
