// pt ops audit verify: checks the audit log's hash chain; prints its head hash, or fails naming the first broken line.
import { loadConfig } from '../../config/loadConfig.js';
import { fsErrorFrom } from '../../core/fsError.js';
import { PtError } from '../../core/ptError.js';
import { verifyAuditFile, type AuditVerifyResult } from '../../ops/audit/verifyAuditLog.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseOpsAuditVerifyOptions } from '../options/parseOpsAuditVerifyOptions.js';

async function verify(path: string): Promise<AuditVerifyResult> {
  try {
    return await verifyAuditFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new PtError(
        'OPS_AUDIT_MISSING',
        `no audit log at ${path} (nothing recorded yet, or the file was removed); --path names another file`,
        { source: 'ops', details: { path } },
      );
    throw fsErrorFrom(e, `cannot read the audit log ${path}`, { path }) ?? e;
  }
}

export async function runOpsAuditVerify(raw: RawOptions): Promise<number> {
  const { path, anchor } = parseOpsAuditVerifyOptions(raw, () => loadConfig(configDirOption(raw)));
  const r = await verify(path);
  if (r.firstBroken) {
    const { line, problem } = r.firstBroken;
    throw new PtError('OPS_AUDIT_BROKEN', `audit log ${path}: line ${line} ${problem}`, {
      source: 'ops',
      details: { path, line, problem, entries: r.lines },
    });
  }
  if (anchor) {
    if (r.headSha256 === null) process.stderr.write(`audit log ${path} is empty: no head hash to anchor\n`);
    else process.stdout.write(`${r.headSha256}\n`);
    return 0;
  }
  const entries = `${r.lines} entr${r.lines === 1 ? 'y' : 'ies'}`;
  const state = r.headSha256 === null ? 'empty' : `chain intact, head ${r.headSha256}`;
  process.stdout.write(`audit log ${path}: ${entries}, ${state}\n`);
  return 0;
}
