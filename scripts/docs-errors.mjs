#!/usr/bin/env node
// Writes docs/errors.md from the error catalog. Run `npm run docs:errors` (it builds dist/ first);
// test/core/errorsDoc.test.ts fails when the file and the catalog disagree.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderErrorsMarkdown } from '../dist/core/errorsMarkdown.js';

const target = fileURLToPath(new URL('../docs/errors.md', import.meta.url));
writeFileSync(target, renderErrorsMarkdown());
process.stdout.write(`wrote ${target}\n`);
