// A bar loop under onLiveSignals (from the built dist/), for the signal test: plain ESM, run by node alone.
// node liveSignalsChild.mjs <barMs> [cli]: `cli` first installs the one-shot commands' handlers, as pt's main does.
// Prints `start N` / `end N` around each bar, `reload before N` when a SIGHUP was taken, `term SIG` when told to stop.
import { installInterruptHandlers } from '../../dist/cli/onInterrupt.js';
import { onLiveSignals } from '../../dist/live/onLiveSignals.js';

const [barMs, mode] = process.argv.slice(2);
if (mode === 'cli') installInterruptHandlers();
const say = (t) => process.stdout.write(`${t}\n`);
const signals = onLiveSignals({ onTerm: (s) => say(`term ${s}`), onReload: () => say('hup') });
say('ready');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (let bar = 1; !signals.stopRequested; bar++) {
  if (signals.takeReload()) say(`reload before ${bar}`);
  say(`start ${bar}`);
  // A bar's work: awaits in between, as a real bar's (I/O) does.
  for (let i = 0; i < 5; i++) await sleep(Number(barMs) / 5);
  say(`end ${bar}`);
}
signals.dispose();
say('flushed');
process.exitCode = 0;
