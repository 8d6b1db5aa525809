import { describe, expect, it } from 'vitest';
import { OpsFlagsKeeper, opsFlagsFrom } from '../../../src/adapters/files/opsFlagsFrom.js';
import { DEFAULT_OPS_FLAGS, type OpsFlags } from '../../../src/ports/liveBus.js';
import { capturedLogger } from '../../helpers/logLines.js';

const halted: OpsFlags = {
  globalHalt: true,
  haltedPairs: ['XAUUSD_XAGUSD'],
  flattenPairs: ['EURUSD_GBPUSD'],
  leverageScale: 0.5,
};

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
      flags: { globalHalt: true, haltedPairs: ['A_B', 'C_D'], flattenPairs: ['E_F', 'G_H'], leverageScale: 0.25 },
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
    expect(read.flags).toEqual({ globalHalt: true, haltedPairs: ['A_B'], flattenPairs: [], leverageScale: 0 });
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
