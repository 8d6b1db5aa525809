// Types of eaPairs.mjs for the TypeScript tests.
import type { VolumeSpec } from '../../src/paper/index.js';

export declare const PAIRS: Record<string, number>;
export declare const VOLUMES: Record<string, VolumeSpec>;
export declare const LEGS: Record<string, [string, string]>;
