// Service checks for integration tests: under CI=true a missing service fails the test; elsewhere it skips, saying why.
import { createConnection } from 'node:net';

export function portAnswers(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const isCi = process.env.CI === 'true';

/** True when the test should run; throws under CI when the service is down. */
export async function requireService(name: string, port: number): Promise<boolean> {
  if (await portAnswers(port)) return true;
  if (isCi) throw new Error(`${name} is not answering on 127.0.0.1:${port}, and CI=true requires it`);
  console.warn(`[skip] ${name} is not answering on 127.0.0.1:${port}`);
  return false;
}
