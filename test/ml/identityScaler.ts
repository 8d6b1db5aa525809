// The identity normalisation of a feature schema (median 0, MAD 1, no winsorising) for model tests.
export function identityScaler(names: string[]) {
  return {
    names,
    median: names.map(() => 0),
    mad: names.map(() => 1),
    lower: names.map(() => -1e9),
    upper: names.map(() => 1e9),
    clipped: [] as string[],
    clip: 5,
  };
}
