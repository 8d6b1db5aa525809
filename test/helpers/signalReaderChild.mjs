// A reader of signal.json as the EA reads it (from the built dist/), for the hammer test: plain ESM, run by node alone.
// node signalReaderChild.mjs <signal.json> <stopFile>: reads, parses and validates in a loop until stopFile
// exists, reads once more (the writer's last file), then prints one JSON line {reads, distinctSeqs, lastSeq,
// failureCount, failures} (at most 20 failures kept). It pauses 50 µs between reads: still thousands of
// reads per second, without starving the writer of a CPU on a small machine.
import { existsSync, readFileSync } from 'node:fs';
import { validateSignalFile } from '../../dist/live/signal/validateSignalFile.js';

const [path, stopFile] = process.argv.slice(2);
let reads = 0;
let lastSeq = 0;
let distinctSeqs = 0;
let failureCount = 0;
const failures = [];
const fail = (what) => {
  failureCount++;
  if (failures.length < 20) failures.push(what);
};
process.stdout.write('ready\n');
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let last = false; !last; ) {
  last = existsSync(stopFile);
  Atomics.wait(pause, 0, 0, 0.05);
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') continue; // before the first write
    throw e;
  }
  reads++;
  let file;
  try {
    file = JSON.parse(text);
  } catch (e) {
    fail(`torn: ${e.message} (${text.length} chars)`);
    continue;
  }
  try {
    validateSignalFile(file);
  } catch (e) {
    fail(`invalid: ${e.message}`);
    continue;
  }
  // A rename replaces the whole file: a reader never goes back to an older one.
  if (file.seq < lastSeq) fail(`seq went back from ${lastSeq} to ${file.seq}`);
  if (file.seq !== lastSeq) distinctSeqs++;
  lastSeq = file.seq;
}
process.stdout.write(`${JSON.stringify({ reads, distinctSeqs, lastSeq, failureCount, failures })}\n`);
