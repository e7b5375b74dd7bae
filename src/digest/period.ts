import { ConfigError } from '../config/errors.js';

export interface Period {
  /** What the person asked for: `7d`, `24h`, `2w`. */
  label: string;
  from: Date;
  to: Date;
  /** Start of the previous period of the same length (it ends at `from`). */
  previousFrom: Date;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `7d`, `30d`, `24h`, `2w` → the period ending at `now` and the one before it. */
export function parsePeriod(text: string, now: Date = new Date()): Period {
  const match = /^(\d{1,4})([hdw])$/.exec(text.trim().toLowerCase());
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount <= 0 || amount * (UNIT_MS[match[2] as string] as number) > 366 * 86_400_000) {
    throw new ConfigError(
      `"${text}" is not a period: use a number and h, d or w, such as 24h, 7d, 30d or 2w (at most a year)`,
    );
  }
  const length = amount * (UNIT_MS[match[2] as string] as number);
  return {
    label: `${amount}${match[2]}`,
    from: new Date(now.getTime() - length),
    to: now,
    previousFrom: new Date(now.getTime() - 2 * length),
  };
}
