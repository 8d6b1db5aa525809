#!/usr/bin/env node
// Writes mt5/schemas/signal.schema.json from SIGNAL_FILE_SCHEMA. Build dist/ first (`npm run build`);
// test/live/signalFile.test.ts fails when the file and the constant disagree.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SIGNAL_FILE_SCHEMA } from '../dist/model/signalFileSchema.js';

const target = fileURLToPath(new URL('../mt5/schemas/signal.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(SIGNAL_FILE_SCHEMA, null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
