import { fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fmt } from './stats.js'

/** Where `tsc -p bench/tsconfig.json` puts the compiled workers (children run plain JS, no loader). */
/** How long a worker may run unless its caller says (a receipt of millions of units on a busy machine says more). */
const DEFAULT_WORKER_TIMEOUT_MS = 30 * 60_000

export const COMPILED_WORKERS = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist', 'bench', 'workers')

export interface ChildRun<R> {
  result: R
  /**
   * Highest resident set size of the child: max of the kernel's VmHWM polled every 100 ms and the child's own maxRSS.
   */
  peakRssBytes: number
  wallSeconds: number
}

/** Reads VmRSS and VmHWM (peak) of a process from /proc, in bytes; undefined once it is gone. */
function procMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
  } catch {
    return undefined
  }
}

/**
 * Runs a compiled worker in its own node process (so its memory is its own), sends it `input` and
 * resolves with the one message it answers. The parent samples the child's RSS every 100 ms, because a
 * synchronous SQLite loop inside the child can starve the child's own timers.
 */
export function runWorker<I, R>(
  name: string,
  input: I,
  options: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<ChildRun<R>> {
  const started = performance.now()
  const child = fork(join(COMPILED_WORKERS, `${name}.js`), [], {
    execArgv: ['--expose-gc', ...(options.nodeArgs ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let peak = 0
  const sample = () => {
    const m = child.pid ? procMemory(child.pid) : undefined
    if (m) peak = Math.max(peak, m.hwm, m.rss)
  }
  const timer = setInterval(sample, 100)
  return new Promise<ChildRun<R>>((resolve, reject) => {
    let result: { ok: true; value: R & { maxRssBytes?: number } } | { ok: false; error: string } | undefined
    const timeoutMs = options.timeoutMs ?? DEFAULT_WORKER_TIMEOUT_MS
    const killer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`worker ${name} did not finish within ${fmt(timeoutMs / 60_000)} min`))
    }, timeoutMs)
    child.on('message', (m) => {
      sample()
      result = m as typeof result
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearInterval(timer)
      clearTimeout(killer)
      if (!result) return reject(new Error(`worker ${name} exited (${code ?? signal}) without a result`))
      if (!result.ok) return reject(new Error(`worker ${name} failed: ${result.error}`))
      const value = result.value
      resolve({
        result: value,
        peakRssBytes: Math.max(peak, value.maxRssBytes ?? 0),
        wallSeconds: (performance.now() - started) / 1000,
      })
    })
    child.send(input as never)
  })
}

/** The child side: waits for its input, runs `fn`, answers with its result (plus the process's maxRSS) and exits. */
export function serveWorker<I, R extends object>(fn: (input: I) => Promise<R>): void {
  process.once('message', (input) => {
    fn(input as I).then(
      (value) => finish({ ok: true, value: { ...value, maxRssBytes: process.resourceUsage().maxRSS * 1024 } }),
      (e: unknown) => finish({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    )
  })
}

function finish(message: unknown): void {
  process.send!(message as never, undefined, undefined, () => process.exit(0))
}
