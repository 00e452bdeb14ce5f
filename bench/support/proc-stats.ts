/** What Linux's /proc tells of another process: its memory and its CPU time, for a benchmark's figures. */
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on every Linux a benchmark runs on). */
const TICKS_PER_SECOND = 100;

export interface ProcMemory {
  /** Resident set size now (kB). */
  rssKb: number;
  /** The highest it has been (VmHWM, kB). */
  peakKb: number;
}

/** VmRSS and VmHWM of `pid`; undefined once it is gone. */
export function procMemory(pid: number): ProcMemory | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), peakKb: field('VmHWM') };
}

/** User + system CPU seconds `pid` has used so far; undefined once it is gone (or unreadable). */
export function procCpuSeconds(pid: number): number | undefined {
  try {
    // After the command's closing parenthesis: state is field 3, utime 14 and stime 15.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The pid of the first process whose command is one of `names` (e.g. the database server, to tell its CPU from the worker's). */
export function findProcess(names: string[]): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

/** Samples `pid`'s resident set every `intervalMs` until stopped. */
export class RssSampler {
  readonly samples: Array<{ at: number; rssKb: number }> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }

  private sample(): void {
    const memory = procMemory(this.pid);
    if (memory && Number.isFinite(memory.rssKb)) this.samples.push({ at: Date.now(), rssKb: memory.rssKb });
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The median resident set (kB) of the samples taken in [from, to]. */
  medianKb(from: number, to: number): number {
    const within = this.samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rssKb).sort((a, b) => a - b);
    return within.length ? within[Math.floor(within.length / 2)]! : NaN;
  }

  maxKb(): number {
    return this.samples.reduce((max, s) => Math.max(max, s.rssKb), 0);
  }
}
