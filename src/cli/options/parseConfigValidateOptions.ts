// pt config validate flags → the config folder to check (--dir, else -c, else PT_CONFIG_DIR or ./config).
import { configDirOption, type RawOptions } from './cliOptions.js';

export interface ConfigValidateOptions {
  /** As given; undefined leaves the choice to the config loader (PT_CONFIG_DIR or ./config). */
  dir?: string;
}

export function parseConfigValidateOptions(raw: RawOptions): ConfigValidateOptions {
  const dir = raw.dir === undefined ? configDirOption(raw) : String(raw.dir);
  return dir === undefined ? {} : { dir };
}
