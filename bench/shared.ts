import { readFileSync } from 'node:fs';

/** Busy CPU time of the whole machine (all cores, including steal), from /proc/stat; null off Linux. */
export function machineBusyMicros(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    // USER_HZ is 100 on every Linux Node runs on.
    return (user + nice + system + irq + softirq + steal) * 10_000;
  } catch {
    return null;
  }
}

/** A plain-text table: the first `leftColumns` columns left-aligned (labels), the rest right-aligned. */
export function table(rows: string[][], leftColumns = 1): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) => (col < leftColumns ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
