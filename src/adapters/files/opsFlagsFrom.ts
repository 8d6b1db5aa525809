// Reads the SPEC §8 ops flags from a Redis hash (strings) or flags.json (JSON values), tolerantly.
import { type createLogger, logPtError } from '../../core/logger.js';
import { PtError } from '../../core/ptError.js';
import { DEFAULT_OPS_FLAGS, type OpsFlags } from '../../ports/liveBus.js';

export interface OpsFlagsRead {
  flags: OpsFlags;
  /** One line per field present but unreadable (it kept its last good value). */
  problems: string[];
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 'soft', 'hard']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'none', '']);

/**
 * A missing field takes its default (no halt, no pairs, scale 1); a field present but unreadable
 * keeps its value from `lastGood`: a typo in a flag must not silently lift a halt. `global_halt`
 * also accepts pt ops' levels (soft, hard → halted; none → not).
 */
export function opsFlagsFrom(raw: Readonly<Record<string, unknown>>, lastGood: Readonly<OpsFlags>): OpsFlagsRead {
  const problems: string[] = [];
  const flags: OpsFlags = {
    globalHalt: DEFAULT_OPS_FLAGS.globalHalt,
    haltedPairs: [],
    flattenPairs: [],
    leverageScale: DEFAULT_OPS_FLAGS.leverageScale,
  };
  if (raw.global_halt !== undefined) {
    const v = haltFrom(raw.global_halt);
    if (v === undefined) problems.push(`global_halt ${show(raw.global_halt)} is not a boolean or a halt level`);
    flags.globalHalt = v ?? lastGood.globalHalt;
  }
  for (const [field, key] of [
    ['halted_pairs', 'haltedPairs'],
    ['flatten_pairs', 'flattenPairs'],
  ] as const) {
    if (raw[field] === undefined) continue;
    const v = pairListFrom(raw[field]);
    if (v === undefined) problems.push(`${field} ${show(raw[field])} is not a list of pair ids`);
    flags[key] = v ?? [...lastGood[key]];
  }
  if (raw.leverage_scale !== undefined) {
    const v = scaleFrom(raw.leverage_scale);
    if (v === undefined) problems.push(`leverage_scale ${show(raw.leverage_scale)} is not a number in [0, 1]`);
    flags.leverageScale = v ?? lastGood.leverageScale;
  }
  return { flags, problems };
}

function haltFrom(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const word = v.trim().toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
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
  private lastGood: OpsFlags = { ...DEFAULT_OPS_FLAGS, haltedPairs: [], flattenPairs: [] };
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

function cloneFlags(f: OpsFlags): OpsFlags {
  return { ...f, haltedPairs: [...f.haltedPairs], flattenPairs: [...f.flattenPairs] };
}
