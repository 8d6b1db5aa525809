import { describe, expect, it } from 'vitest';
import { OpsFlagsKeeper, opsFlagsFrom } from '../../../src/ops/flags/opsFlagsFrom.js';
import { DEFAULT_OPS_FLAGS, type OpsFlags } from '../../../src/ports/liveBus.js';
import { capturedLogger } from '../../helpers/logLines.js';

const flagsOf = (f: Partial<OpsFlags>): OpsFlags => ({ ...DEFAULT_OPS_FLAGS, ...f });
const halted = flagsOf({
  globalHalt: true,
  haltedPairs: ['XAUUSD_XAGUSD'],
  flattenPairs: ['EURUSD_GBPUSD'],
  leverageScale: 0.5,
});

describe('opsFlagsFrom', () => {
  it('gives the defaults for an empty record, whatever was read before', () => {
    expect(opsFlagsFrom({}, halted)).toEqual({ flags: { ...DEFAULT_OPS_FLAGS }, problems: [] });
  });

  it('reads Redis hash strings: booleans, halt levels, JSON and comma lists, numbers', () => {
    const read = opsFlagsFrom(
      { global_halt: 'soft', halted_pairs: '["A_B", "C_D"]', flatten_pairs: 'E_F, G_H', leverage_scale: '0.25' },
      DEFAULT_OPS_FLAGS,
    );
    expect(read).toEqual({
      flags: flagsOf({
        globalHalt: true,
        haltedPairs: ['A_B', 'C_D'],
        flattenPairs: ['E_F', 'G_H'],
        leverageScale: 0.25,
      }),
      problems: [],
    });
    expect(opsFlagsFrom({ global_halt: 'none', halted_pairs: '' }, halted).flags).toMatchObject({
      globalHalt: false,
      haltedPairs: [],
    });
    expect(opsFlagsFrom({ global_halt: 'FALSE' }, halted).flags.globalHalt).toBe(false);
    expect(opsFlagsFrom({ global_halt: '1' }, DEFAULT_OPS_FLAGS).flags.globalHalt).toBe(true);
  });

  it('reads JSON values of flags.json', () => {
    const read = opsFlagsFrom(
      { global_halt: true, halted_pairs: ['A_B'], flatten_pairs: [], leverage_scale: 0 },
      DEFAULT_OPS_FLAGS,
    );
    expect(read.flags).toEqual(flagsOf({ globalHalt: true, haltedPairs: ['A_B'], flattenPairs: [], leverageScale: 0 }));
  });

  it("reads pt ops' fields: a hard halt, hard pairs, graceful flattens, the canary", () => {
    const read = opsFlagsFrom(
      {
        global_halt: 'hard',
        halted_pairs: '["A_B"]',
        hard_pairs: '["A_B"]',
        flatten_pairs: '["C_D","E_F"]',
        flatten_graceful: '["E_F"]',
        canary: '{"portfolio":"2026-12-13T10:00:00.000Z","A_B":"2026-12-14T00:00:00Z"}',
        canary_scale: '0.2',
      },
      DEFAULT_OPS_FLAGS,
    );
    expect(read).toEqual({
      flags: flagsOf({
        globalHalt: true,
        hardHalt: true,
        haltedPairs: ['A_B'],
        hardPairs: ['A_B'],
        flattenPairs: ['C_D', 'E_F'],
        gracefulPairs: ['E_F'],
        canaryUntil: { portfolio: Date.UTC(2026, 11, 13, 10), A_B: Date.UTC(2026, 11, 14) },
        canaryScale: 0.2,
      }),
      problems: [],
    });
    expect(opsFlagsFrom({ global_halt: 'soft' }, read.flags).flags).toMatchObject({
      globalHalt: true,
      hardHalt: false,
    });
    const bad = opsFlagsFrom({ canary: '{"portfolio":"soon"}', canary_scale: '2' }, read.flags);
    expect(bad.flags.canaryUntil).toEqual(read.flags.canaryUntil);
    expect(bad.flags.canaryScale).toBe(0.2);
    expect(bad.problems).toHaveLength(2);
  });

  it('keeps the last good value of a field present but unreadable, and says which', () => {
    const read = opsFlagsFrom(
      { global_halt: 'maybe', halted_pairs: '[1, 2]', flatten_pairs: '[oops', leverage_scale: '1.5' },
      halted,
    );
    expect(read.flags).toEqual(halted);
    expect(read.problems).toHaveLength(4);
    expect(read.problems[0]).toContain('global_halt "maybe"');
    expect(read.problems[3]).toContain('leverage_scale "1.5"');
    expect(opsFlagsFrom({ leverage_scale: 'abc' }, halted).flags.leverageScale).toBe(0.5);
    expect(opsFlagsFrom({ leverage_scale: -0.1 }, DEFAULT_OPS_FLAGS).flags.leverageScale).toBe(1);
  });
});

describe('OpsFlagsKeeper', () => {
  it('logs OPS_FLAGS_INVALID once per distinct problem and keeps the last good flags', () => {
    const { log, lines } = capturedLogger();
    const keeper = new OpsFlagsKeeper('core:ops:flags', log);
    expect(keeper.accept({ global_halt: 'true', leverage_scale: '0.5' })).toMatchObject({
      globalHalt: true,
      leverageScale: 0.5,
    });
    for (let i = 0; i < 3; i++) expect(keeper.accept({ global_halt: 'perhaps' }).globalHalt).toBe(true);
    expect(keeper.reject('not valid JSON')).toMatchObject({ globalHalt: true });
    expect(lines.map((l) => [l.error_id, l.event])).toEqual([
      ['OPS_FLAGS_INVALID', 'ops_flags_invalid'],
      ['OPS_FLAGS_INVALID', 'ops_flags_invalid'],
    ]);
    expect(lines[0]!.message).toContain('core:ops:flags');
    // A good read clears the problem: the same problem later is logged again.
    keeper.accept({});
    keeper.accept({ global_halt: 'perhaps' });
    expect(lines).toHaveLength(3);
  });
});
