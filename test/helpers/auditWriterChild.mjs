// A process that appends audit entries (through the built dist/), for the concurrent-writer test: plain ESM, run by node alone.
// node auditWriterChild.mjs <logPath> <writerId> <count> <goFile>
// Waits for <goFile> to exist, so that all writers start together.
import { existsSync } from 'node:fs';
import { appendAudit } from '../../dist/ops/audit/appendAudit.js';

const [path, writer, count, goFile] = process.argv.slice(2);
while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 2));
for (let seq = 0; seq < Number(count); seq++)
  await appendAudit(path, {
    action: 'ops.halt',
    scope: 'portfolio',
    reason: `writer ${writer} entry ${seq}`,
    before: { global_halt: false },
    after: { global_halt: true },
    writer: Number(writer),
    seq,
  });
process.stdout.write('done\n');
