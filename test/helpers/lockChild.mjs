// A process that takes a file lock (from the built dist/), for the lock tests: plain ESM, run by node alone.
// node lockChild.mjs <dir> <name> <holdMs|forever> [logFile]
import { appendFileSync } from 'node:fs';
import { acquireFileLock } from '../../dist/core/fileLock.js';

const [dir, name, hold, log] = process.argv.slice(2);
const lock = await acquireFileLock(dir, name, { label: name, pollMs: 20 });
if (log) appendFileSync(log, `enter ${process.pid} ${performance.timeOrigin + performance.now()}\n`);
process.stdout.write('held\n');
if (hold === 'forever') setInterval(() => undefined, 1000);
else {
  await new Promise((r) => setTimeout(r, Number(hold)));
  if (log) appendFileSync(log, `exit ${process.pid} ${performance.timeOrigin + performance.now()}\n`);
  await lock.release();
}
