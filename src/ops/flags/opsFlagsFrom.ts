// Reads the SPEC §8 ops flags from a Redis hash (strings) or flags.json (JSON values), tolerantly.
import { type createLogger, logPtError } from '../../core/logger.js';
import { PtError } from '../../core/ptError.js';
import { DEFAULT_OPS_FLAGS, type OpsFlags } from '../../ports/liveBus.js';

export interface OpsFlagsRead {
  flags: OpsFlags;
  /** One line per field present but unreadable (it kept its last good value). */
  problems: string[];
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 'soft']);
const NOT_HALTED = { halted: false, hard: false };
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'none', '']);

/**
 * A missing field takes its default (no halt, no pairs, scale 1); a field present but unreadable
 * keeps its value from `lastGood`: a typo in a flag must not silently lift a halt. `global_halt`
 * also accepts pt ops' levels (soft, hard → halted; hard also holds positions; none → not).
 * Fields pt ops adds beyond SPEC §8's four: hard_pairs, flatten_graceful, canary, canary_scale.
 */
export function opsFlagsFrom(raw: Readonly<Record<string, unknown>>, lastGood: Readonly<OpsFlags>): OpsFlagsRead {
  const problems: string[] = [];
  const flags: OpsFlags = {
    ...DEFAULT_OPS_FLAGS,
    haltedPairs: [],
    hardPairs: [],
    flattenPairs: [],
    gracefulPairs: [],
    canaryUntil: {},
  };
  if (raw.global_halt !== undefined) {
    const v = haltFrom(raw.global_halt);
    if (v === undefined) problems.push(`global_halt ${show(raw.global_halt)} is not a boolean or a halt level`);
    flags.globalHalt = v?.halted ?? lastGood.globalHalt;
    flags.hardHalt = v?.hard ?? lastGood.hardHalt;
  }
  for (const [field, key] of [
    ['halted_pairs', 'haltedPairs'],
    ['hard_pairs', 'hardPairs'],
    ['flatten_pairs', 'flattenPairs'],
    ['flatten_graceful', 'gracefulPairs'],
  ] as const) {
    if (raw[field] === undefined) continue;
    const v = pairListFrom(raw[field]);
    if (v === undefined) problems.push(`${field} ${show(raw[field])} is not a list of pair ids`);
    flags[key] = v ?? [...lastGood[key]];
  }
  for (const [field, key] of [
    ['leverage_scale', 'leverageScale'],
    ['canary_scale', 'canaryScale'],
  ] as const) {
    if (raw[field] === undefined) continue;
    const v = scaleFrom(raw[field]);
    if (v === undefined) problems.push(`${field} ${show(raw[field])} is not a number in [0, 1]`);
    flags[key] = v ?? lastGood[key];
  }
  if (raw.canary !== undefined) {
    const v = canaryFrom(raw.canary);
    if (v === undefined) problems.push(`canary ${show(raw.canary)} is not an object of scope → ISO time`);
    flags.canaryUntil = v ?? { ...lastGood.canaryUntil };
  }
  return { flags, problems };
}

/** A hard halt of a pair implies its soft halt, and a graceful flatten its flatten: a reader that knows only the SPEC fields stays safe. */
function haltFrom(v: unknown): { halted: boolean; hard: boolean } | undefined {
  if (typeof v === 'boolean') return { halted: v, hard: false };
  if (typeof v === 'number') return v === 1 ? { halted: true, hard: false } : v === 0 ? NOT_HALTED : undefined;
  if (typeof v !== 'string') return undefined;
  const word = v.trim().toLowerCase();
  if (word === 'hard') return { halted: true, hard: true };
  return TRUE_WORDS.has(word) ? { halted: true, hard: false } : FALSE_WORDS.has(word) ? NOT_HALTED : undefined;
}

/** `{"portfolio": "2026-12-13T10:00:00Z", "XAUUSD_XAGUSD": …}` as an object or its JSON text. */
function canaryFrom(v: unknown): Record<string, number> | undefined {
  let value = v;
  if (typeof v === 'string') {
    if (v.trim() === '') return {};
    try {
      value = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, number> = {};
  for (const [scope, until] of Object.entries(value)) {
    const ms = typeof until === 'string' ? Date.parse(until) : Number.NaN;
    if (!Number.isFinite(ms)) return undefined;
    out[scope] = ms;
  }
  return out;
}

/** An array of strings, a JSON array in a string, or a comma-separated string. */
function pairListFrom(v: unknown): string[] | undefined {
  if (Array.isArray(v))
    return v.every((x) => typeof x === 'string') ? v.map((x) => x.trim()).filter(Boolean) : undefined;
  if (typeof v !== 'string') return undefined;
  const text = v.trim();
  if (text.startsWith('[')) {
    try {
      return pairListFrom(JSON.parse(text));
    } catch {
      return undefined;
    }
  }
  return text === ''
    ? []
    : text
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
}

/** The manual scale only tightens (SPEC §7 ops flags never loosen the DD policy). */
function scaleFrom(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

type Log = ReturnType<typeof createLogger>;

/**
 * Holds the last good flags of one reader and logs OPS_FLAGS_INVALID once per distinct problem
 * (flags are read every bar; one bad value must not fill the log).
 */
export class OpsFlagsKeeper {
  private lastGood: OpsFlags = cloneFlags(DEFAULT_OPS_FLAGS);
  private lastProblem = '';

  constructor(
    private readonly where: string,
    private readonly log?: Log,
  ) {}

  /** Flags from a raw record (see opsFlagsFrom). */
  accept(raw: Readonly<Record<string, unknown>>): OpsFlags {
    const { flags, problems } = opsFlagsFrom(raw, this.lastGood);
    this.report(problems.join('; '));
    this.lastGood = flags;
    return cloneFlags(flags);
  }

  /** The whole record is unreadable (not JSON, not an object): the last good flags stay. */
  reject(problem: string): OpsFlags {
    this.report(problem);
    return cloneFlags(this.lastGood);
  }

  private report(problem: string): void {
    if (problem === this.lastProblem) return;
    this.lastProblem = problem;
    if (problem === '' || !this.log) return;
    const error = new PtError(
      'OPS_FLAGS_INVALID',
      `ops flags in ${this.where}: ${problem}; the last good values stay`,
      {
        source: 'ops',
        details: { where: this.where, problem },
      },
    );
    logPtError(this.log, 'warn', 'ops_flags_invalid', error);
  }
}

/** A deep copy: the lists and the canary map are new. */
export function cloneFlags(f: Readonly<OpsFlags>): OpsFlags {
  return {
    ...f,
    haltedPairs: [...f.haltedPairs],
    hardPairs: [...f.hardPairs],
    flattenPairs: [...f.flattenPairs],
    gracefulPairs: [...f.gracefulPairs],
    canaryUntil: { ...f.canaryUntil },
  };
}
