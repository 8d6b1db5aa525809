// pt train flags → typed options: the group, the model registry folder the version goes to, and
// whether a degenerate final model may be written.
import type { PtConfig } from '../../config/schemas/index.js';
import { tableDefaultedPath, type RawOptions } from './cliOptions.js';
import { parseGroupOptions, type GroupOptions } from './parseGroupOptions.js';

export interface TrainOptions extends GroupOptions {
  /** Absolute path of the model registry folder. */
  modelsDir: string;
  allowDegenerate: boolean;
}

export function parseTrainOptions(raw: RawOptions, config: PtConfig): TrainOptions {
  return {
    ...parseGroupOptions(raw, config),
    modelsDir: tableDefaultedPath(raw, 'out', '--out'),
    allowDegenerate: Boolean(raw.allowDegenerate),
  };
}
