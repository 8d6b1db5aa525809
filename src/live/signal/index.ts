// signal.json of `pt live` (SPEC §8): entries from the kernel, ids, seq, the schema check, the atomic write, the history.
export { nextSeq } from './nextSeq.js';
export { signalEntryFrom, type SignalContext } from './signalEntryFrom.js';
export { SignalHistory, SIGNAL_HISTORY_COLUMNS, historyColumns, signalFilesFromColumns } from './signalHistory.js';
export { signalId, SIGNAL_ID_HEX_CHARS } from './signalId.js';
export type { SignalAction, SignalEntry, SignalFile, SignalLeg, SignalTarget } from './signalTypes.js';
export { validateSignalFile } from './validateSignalFile.js';
export { writeSignalFile } from './writeSignalFile.js';
