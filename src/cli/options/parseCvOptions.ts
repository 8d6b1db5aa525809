// pt cv flags → typed options: the group and which models to validate.
import type { PtConfig } from '../../config/schemas/index.js';
import type { ModelKind } from '../../train/runCv.js';
import { maybeChoice, tableDefaulted, type RawOptions } from './cliOptions.js';
import { parseGroupOptions, type GroupOptions } from './parseGroupOptions.js';

export interface CvOptions extends GroupOptions {
  kinds: ModelKind[];
}

export function parseCvOptions(raw: RawOptions, config: PtConfig): CvOptions {
  const group = parseGroupOptions(raw, config);
  const model = maybeChoice(tableDefaulted(raw, 'model', '--model'), '--model', ['ai1', 'ai2', 'all'] as const);
  return { ...group, kinds: model === 'all' ? ['ai1', 'ai2'] : [model] };
}
