// The config files pt reads, each with its JSON Schema; the order is the order of validation reports.
import type { Static, TObject } from '@sinclair/typebox';
import { pipelinePolicySchema, featuresPolicySchema } from './pipelineSchemas.js';
import { corePolicySchema, ddPolicySchema, retrainPolicySchema } from './coreSchemas.js';
import { universeSchema, costTableSchema, sourcesSchema, calendarsSchema } from './assetSchemas.js';
import {
  signalsPolicySchema,
  dataRetentionSchema,
  analyticsPolicySchema,
  backtestPolicySchema,
  slackPolicySchema,
  runbookPolicySchema,
} from './opsSchemas.js';

export const CONFIG_SCHEMAS = {
  core_policy: corePolicySchema,
  dd_policy: ddPolicySchema,
  retrain_policy: retrainPolicySchema,
  signals_policy: signalsPolicySchema,
  pipeline_policy: pipelinePolicySchema,
  features_policy: featuresPolicySchema,
  data_retention: dataRetentionSchema,
  analytics_policy: analyticsPolicySchema,
  backtest_policy: backtestPolicySchema,
  universe: universeSchema,
  calendars: calendarsSchema,
  cost_table: costTableSchema,
  sources: sourcesSchema,
  slack_policy: slackPolicySchema,
  runbook_policy: runbookPolicySchema,
} as const satisfies Record<string, TObject>;

export type ConfigName = keyof typeof CONFIG_SCHEMAS;
export const CONFIG_NAMES = Object.keys(CONFIG_SCHEMAS) as ConfigName[];

/** A file as written: every key wrapped in `{value, label_ja?, description?}`. */
export type WrappedConfig<N extends ConfigName> = Static<(typeof CONFIG_SCHEMAS)[N]>;

/** A file with its wrappers removed: `key: value` (an optional key stays optional). */
export type UnwrappedConfig<N extends ConfigName> = {
  [K in keyof WrappedConfig<N>]: NonNullable<WrappedConfig<N>[K]> extends { value: infer V } ? V : never;
};

/** The merged, typed config every part of pt reads. */
export type PtConfig = { [N in ConfigName]: UnwrappedConfig<N> } & { dir: string };

export type Leg = PtConfig['universe']['pairs'][number]['leg_A'];
export type PairSpec = PtConfig['universe']['pairs'][number];
