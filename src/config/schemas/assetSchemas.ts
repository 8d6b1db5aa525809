// Schemas of universe.yaml, cost_table.yaml and sources.yaml.
import { Type } from '@sinclair/typebox';
import {
  configFile,
  strict,
  wrapped,
  OneOf,
  PositiveInt,
  PositiveNumber,
  NonNegNumber,
  NonNegInt,
  TimeframeName,
  HourMinute,
} from './wrap.js';

const Symbol = Type.String({ pattern: '^[A-Z0-9]+$' });

const session = strict({ start: HourMinute, end: HourMinute });

export const legSchema = strict({
  canonical_symbol: Symbol,
  broker_symbol: Type.String({ minLength: 1 }),
  asset_class: OneOf(['FX', 'CFD', 'INDEX', 'SYNTH'] as const),
  tick_size: PositiveNumber,
  price_precision: NonNegInt,
  contract_size: PositiveNumber,
  min_lot: PositiveNumber,
  lot_step: PositiveNumber,
  base_ccy: Type.String({ pattern: '^[A-Z0-9]{3,6}$' }),
  quote_ccy: Type.String({ pattern: '^[A-Z]{3}$' }),
  timezone: Type.String(),
  trading_hours: strict({
    sessions: Type.Array(session, { minItems: 1 }),
    weekly_close: Type.String(),
    holidays_calendar: Type.String(),
  }),
});

const MonthDay = Type.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' });
const HolidayRuleName = OneOf([
  'new_year',
  'mlk',
  'presidents',
  'good_friday',
  'memorial',
  'juneteenth',
  'independence',
  'labor',
  'thanksgiving',
  'christmas',
] as const);

/** One market's holidays (SPEC §1.4): closed trade dates and early closes, in New York time. */
const marketCalendarSchema = strict({
  /** `MM-DD` trade dates closed every year whatever the weekday (FX: 12-25, 01-01). */
  closed_dates: Type.Array(MonthDay),
  /** US holiday rules (observed dates) whose trade date is closed. */
  closed_rules: Type.Array(HolidayRuleName),
  /** US holiday rules on which trading stops at early_close_time until the next session. */
  early_close_rules: Type.Array(HolidayRuleName),
  early_close_time: HourMinute,
});

/** calendars.yaml: the market calendars universe.yaml legs name in trading_hours.holidays_calendar. */
export const calendarsSchema = configFile({
  calendars: wrapped(Type.Record(Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }), marketCalendarSchema)),
});

export const pairSchema = strict({
  pair_id: Type.String({ pattern: '^[A-Z0-9]+_[A-Z0-9]+$' }),
  group: Type.String(),
  shard: NonNegInt,
  leg_A: legSchema,
  leg_B: legSchema,
  constraints: strict({
    margin_requirement: PositiveNumber,
    min_notional_usd: NonNegNumber,
    allowed_timeframes: Type.Array(TimeframeName, { minItems: 1 }),
  }),
});

export const universeSchema = Type.Object(
  {
    pairs: wrapped(Type.Array(pairSchema, { minItems: 1 })),
    // Optional: a universe without it ingests any price level (no range guard).
    price_ranges: Type.Optional(
      wrapped(Type.Record(Type.String({ pattern: '^[A-Z0-9]+$' }), Type.Tuple([PositiveNumber, PositiveNumber]))),
    ),
  },
  { additionalProperties: false },
);

const swap = Type.Object(
  {
    long_bps_day: Type.Optional(Type.Number()),
    short_bps_day: Type.Optional(Type.Number()),
    rollover_day: Type.Optional(OneOf(['MON', 'TUE', 'WED', 'THU', 'FRI'] as const)),
    time_utc: Type.Optional(HourMinute),
  },
  { additionalProperties: false },
);

const symbolCosts = Type.Object(
  {
    commission_bps: Type.Optional(NonNegNumber),
    slippage_bps: Type.Optional(NonNegNumber),
    spread_bps: Type.Optional(NonNegNumber),
    swap: Type.Optional(swap),
  },
  { additionalProperties: false },
);

export const costTableSchema = configFile({
  defaults: wrapped(
    strict({
      commission_bps: NonNegNumber,
      slippage_bps: NonNegNumber,
      spread_bps: NonNegNumber,
      swap: strict({
        long_bps_day: Type.Number(),
        short_bps_day: Type.Number(),
        rollover_day: Type.String(),
        time_utc: HourMinute,
      }),
    }),
  ),
  overrides: wrapped(Type.Record(Type.String({ pattern: '^[A-Z0-9]+$' }), symbolCosts)),
  time_of_day_multipliers: wrapped(
    Type.Record(Type.String({ pattern: '^\\d{2}:\\d{2}-\\d{2}:\\d{2}$' }), PositiveNumber),
  ),
});

const provider = Type.Object(
  {
    type: OneOf(['twelvedata', 'csv', 'synthetic', 'generic_rest'] as const),
    base_url: Type.Optional(Type.String({ pattern: '^https?://' })),
    ws_url: Type.Optional(Type.String({ pattern: '^wss?://' })),
    // Checked by the no_plain_secret rule, so a plain key is named as such rather than as a pattern mismatch.
    api_key_ref: Type.Optional(Type.String()),
    timeframes: Type.Array(TimeframeName, { minItems: 1 }),
    assets: Type.Optional(Type.Array(Type.String())),
    priority: PositiveInt,
    rate_limits: Type.Optional(
      strict({ rest_qps: PositiveNumber, credits_per_minute: PositiveInt, ws_channels: PositiveInt }),
    ),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
    cost_tier: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const sourcesSchema = configFile({
  providers: wrapped(Type.Record(Type.String({ pattern: '^[a-z0-9_]+$' }), provider)),
});
