// One measured number of a benchmark suite, as printed in the table and stored in reports/bench/latest.json.
export interface BenchResult {
  name: string;
  value: number | string;
  unit: string;
  target?: string;
  pass?: boolean;
  [extra: string]: unknown;
}
