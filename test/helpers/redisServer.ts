// A test-owned redis-server on a spare port: started, killed and restarted by the test that owns it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { isCi, portAnswers } from './services.js';

/** True when redis-server can be spawned; under CI=true its absence fails the test instead. */
export function requireRedisServerBinary(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  if (isCi) throw new Error('redis-server is not on PATH, and CI=true requires it');
  console.warn('[skip] redis-server is not on PATH');
  return false;
}

/** A port nothing listens on right now (the kernel's pick for a listen on port 0). */
export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class OwnedRedisServer {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  /** Starts an empty, non-persistent server and waits until it answers. */
  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    // A test runner that dies must not leave its server behind.
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.removeListener('exit', reap));
    const deadline = Date.now() + 10_000;
    while (!(await portAnswers(this.port, '127.0.0.1', 200))) {
      if (child.exitCode !== null) throw new Error(`redis-server on port ${this.port} exited ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer in 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL (no goodbye to clients), then waits for the process to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
