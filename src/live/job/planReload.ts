// What a reload (SIGHUP or core:ops:reload) changes and how pt live applies it: new θ of the same model
// apply in place at the next bar; another model version, other decision parameters or any config
// change re-warm the shard as a restart does (from the checkpoint: no signal is repeated or lost).
import type { PtConfig } from '../../config/schemas/index.js';
import type { DecisionParams } from '../../decision/decide.js';

export interface ReloadView {
  config: PtConfig;
  modelDir: string;
  /** The decision parameters resolved for modelDir (θ from the latest applied record, else params.yaml). */
  params: DecisionParams;
}

export interface ReloadPlan {
  kind: 'none' | 'theta' | 'restart';
  /** One line per change, e.g. `theta1 0.55 → 0.6`, `config signals_policy`, `model v1 → v2`. */
  changes: string[];
}

const THETA_KEYS = ['theta1', 'theta2', 'thetaStop'] as const;

export function planReload(now: ReloadView, next: ReloadView): ReloadPlan {
  const changes: string[] = [];
  if (next.modelDir !== now.modelDir) changes.push(`model ${now.modelDir} → ${next.modelDir}`);
  for (const file of Object.keys(next.config) as Array<keyof PtConfig>)
    if (JSON.stringify(now.config[file]) !== JSON.stringify(next.config[file])) changes.push(`config ${file}`);
  const other = (Object.keys(next.params) as Array<keyof DecisionParams>).filter(
    (k) => !(THETA_KEYS as readonly string[]).includes(k) && now.params[k] !== next.params[k],
  );
  for (const k of other) changes.push(`${k} ${String(now.params[k])} → ${String(next.params[k])}`);
  const restart = changes.length > 0;
  for (const k of THETA_KEYS)
    if (now.params[k] !== next.params[k]) changes.push(`${k} ${now.params[k]} → ${next.params[k]}`);
  return { kind: restart ? 'restart' : changes.length > 0 ? 'theta' : 'none', changes };
}
