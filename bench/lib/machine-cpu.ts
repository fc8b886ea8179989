import { readdirSync, readFileSync } from 'node:fs'

/** Jiffies of every CPU of the machine from /proc/stat: `busy` (all but idle and iowait) and `total`. */
export interface CpuTicks {
  busy: number
  total: number
}

/** Linux's USER_HZ, the unit of /proc/stat: 100 on every kernel this runs on. */
const TICKS_PER_SECOND = 100
export const MS_PER_TICK = 1000 / TICKS_PER_SECOND

export function machineTicks(): CpuTicks {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number)
  const busy = user! + nice! + system! + irq! + softirq! + (steal ?? 0)
  return { busy, total: busy + idle! + iowait! }
}

/**
 * The machine's CPU time spent between two samples, in milliseconds, over `ops` operations: every process
 * counts (the load generator, the servers, PostgreSQL's backends), which is what bounds throughput when a
 * run is CPU-bound. `busyShare` says how close to all cores the run came.
 */
export function cpuPerOp(before: CpuTicks, after: CpuTicks, ops: number): { msPerOp: number; busyShare: number } {
  const busy = after.busy - before.busy
  const total = after.total - before.total
  return { msPerOp: ops > 0 ? (busy * MS_PER_TICK) / ops : 0, busyShare: total > 0 ? busy / total : 0 }
}

/**
 * Samples the machine's ticks every `everyMs` so that a window known only afterwards (a load worker reports
 * its own seconds when it ends) can be cut out of the record: its start-up and exit do not count.
 */
export function recordMachineCpu(everyMs = 50): {
  /** The ticks between the samples nearest to `from` and `to` (performance.now() times). */
  between(from: number, to: number): { before: CpuTicks; after: CpuTicks }
  stop(): void
} {
  const samples: { at: number; ticks: CpuTicks }[] = [{ at: performance.now(), ticks: machineTicks() }]
  const timer = setInterval(() => samples.push({ at: performance.now(), ticks: machineTicks() }), everyMs)
  const nearest = (at: number) =>
    samples.reduce((best, s) => (Math.abs(s.at - at) < Math.abs(best.at - at) ? s : best)).ticks
  return {
    between: (from, to) => ({ before: nearest(from), after: nearest(to) }),
    stop: () => clearInterval(timer),
  }
}

/** Who used the CPU: PostgreSQL's processes, the server instances, the rest (load workers, this bench). */
export type CpuGroup = 'postgres' | 'servers' | 'other'

/** Every live process's user + system ticks, summed per group (processes gone by then are not counted). */
export function processTicks(): Record<CpuGroup, number> {
  const out: Record<CpuGroup, number> = { postgres: 0, servers: 0, other: 0 }
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // Fields after the parenthesised command name: state is the 3rd field, utime and stime the 14th, 15th.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ticks = Number(rest[11]) + Number(rest[12])
      if (ticks === 0) continue
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const cmdline = comm === 'postgres' ? '' : readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      out[comm === 'postgres' ? 'postgres' : cmdline.includes('app-server') ? 'servers' : 'other'] += ticks
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out
}
