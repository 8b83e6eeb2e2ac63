/** One measured number of a benchmark, with its budget (the issue's) and the baseline measured in the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The most the value may be (same unit). */
  budget?: number;
  /** A baseline measured in the same run (same unit); the report prints value / baseline. */
  baseline?: number;
  note?: string;
}
