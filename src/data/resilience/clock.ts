// Injectable time sources shared by the resilience helpers, so tests can run on a fake clock.

export type Now = () => number;
export type Sleep = (ms: number) => Promise<void>;
export type Random = () => number;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
