// A pino logger writing into an array of parsed JSON lines, so a test can read what was logged.
import { Writable } from 'node:stream';
import { createLogger } from '../../src/core/logger.js';

export function capturedLogger(source = 'test'): {
  log: ReturnType<typeof createLogger>;
  lines: Array<Record<string, unknown>>;
} {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ source }, sink, 'info'), lines };
}
