// pt paper's core: the EA's signal.json rules and convergence runs in TypeScript (test/fixtures/mt5/README.md).
export { ConvergeRun, MAX_SENDS, RETCODE, type Legs, type PlannedOrder, type RunOutcome } from './convergeRun.js';
export { MAX_SIGNALS, readSignalText, type SignalRead } from './readSignalText.js';
export { realInstantMs } from './realInstantMs.js';
export { round8, roundDelta, roundLots, type VolumeSpec } from './roundLots.js';
export { SEEN_CAP, SeenIds } from './seenIds.js';
export {
  SignalIntake,
  type EntryWhy,
  type FileStatus,
  type IntakeState,
  type IntakeStep,
  type PairDecision,
  type PairTarget,
  type RunAlert,
  type TargetView,
} from './signalIntake.js';
