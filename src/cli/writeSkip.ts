// One stderr line for a pair a multi-pair command skipped for lack of data (the others go on).

export function writeSkip(pairId: string, message: string): void {
  process.stderr.write(`skipping ${pairId}: ${message}\n`);
}
