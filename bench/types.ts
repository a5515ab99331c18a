export type BenchResult = {
  name: string;
  /** Markdown table rows: [figure, value, target] */
  rows: [string, string, string][];
  notes?: string[];
};
