// What every bench section shares: timing, statistics, and the table each section prints. A row
// is one figure next to its baseline, measured in the same run on the same machine, so the ratio
// means something even where absolute times vary.

export type Unit = "ms" | "µs" | "KiB";

export interface Row {
  name: string;
  /** The median, in the section's unit (for KiB: the size). */
  value: number;
  /** For per-iteration samples: the 95th percentile, in the section's unit. */
  p95?: number;
  /** For per-iteration samples: iterations per second (from the mean). */
  perSecond?: number;
  /** Absent on a row that is itself the baseline of the rows below it. */
  baseline?: { name: string; value: number };
}

export interface Section {
  title: string;
  unit: Unit;
  run: (runs: number) => Promise<{ rows: Row[]; notes?: string[] }>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The nearest-rank percentile `p` (0-100) of `values`. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Median wall time in ms of `runs` runs of `action`, after one warm-up run. */
export async function time(runs: number, action: () => unknown): Promise<number> {
  await action();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await action();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export interface Sampling {
  /** How long each action runs before its first sample is kept. */
  warmupMs: number;
  /** Time spent sampling, split evenly across actions and rounds. */
  totalMs: number;
  rounds: number;
}

/**
 * Wall time in µs of each iteration of each action (synchronous), after a warm-up. The actions
 * take turns, round after round, so that a change in the machine's load (other processes on a
 * 2-core machine) shifts every action alike instead of skewing the ratios between them.
 */
export function sampleInterleaved(actions: Array<() => unknown>, { warmupMs, totalMs, rounds }: Sampling): number[][] {
  for (const action of actions) runFor(action, warmupMs, undefined);
  const samples = actions.map((): number[] => []);
  const slice = totalMs / rounds / actions.length;
  for (let round = 0; round < rounds; round++) actions.forEach((action, i) => runFor(action, slice, samples[i]));
  return samples;
}

/** Runs `action` for at least `ms` and at least once, pushing each iteration's µs onto `into`. */
function runFor(action: () => unknown, ms: number, into: number[] | undefined): void {
  const until = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  let now: bigint;
  do {
    const start = process.hrtime.bigint();
    action();
    now = process.hrtime.bigint();
    into?.push(Number(now - start) / 1e3);
  } while (now < until);
}

/** A row's statistics from per-iteration µs samples. */
export function sampleStats(samples: number[]): Pick<Row, "value" | "p95" | "perSecond"> {
  const total = samples.reduce((sum, s) => sum + s, 0);
  return { value: median(samples), p95: percentile(samples, 95), perSecond: (samples.length / total) * 1e6 };
}

const DECIMALS: Record<Unit, number> = { ms: 1, µs: 1, KiB: 0 };

function formatNumber(value: number, decimals: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** The section as a table (columns p95 and per s only where a row has them), then its notes. */
export function report(section: Section, rows: Row[], notes: string[] = []): string {
  const valueHeader = section.unit === "KiB" ? "KiB" : `median ${section.unit}`;
  const format = (value: number) => formatNumber(value, DECIMALS[section.unit]);
  const sampled = rows.some((r) => r.p95 !== undefined);
  const header = ["measured", valueHeader, ...(sampled ? [`p95 ${section.unit}`, "per s"] : []), "baseline", valueHeader, "ratio"];
  const table = [
    header,
    ...rows.map((r) => [
      r.name,
      format(r.value),
      ...(sampled ? [r.p95 === undefined ? "" : format(r.p95), r.perSecond === undefined ? "" : formatNumber(r.perSecond, 0)] : []),
      r.baseline?.name ?? "",
      r.baseline ? format(r.baseline.value) : "",
      r.baseline ? `${(r.value / r.baseline.value).toFixed(1)}x` : "",
    ]),
  ];
  const numeric = (col: number) => col !== 0 && header[col] !== "baseline";
  const widths = header.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
  const lines = table.map((row) =>
    row
      .map((cell, col) => (numeric(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join("  ")
      .trimEnd(),
  );
  return [`## ${section.title}`, "", ...lines, ...(notes.length ? ["", ...notes] : []), ""].join("\n");
}
