import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import type { AppServerReady } from '../workers/app-server.js'
import { COMPILED_WORKERS } from './child.js'

export interface Instances {
  origins: string[]
  /** The server processes, in the order of `origins` (bench/sale-cpu.ts asks them for their CPU). */
  processes: ChildProcess[]
  close(): Promise<void>
}

/**
 * Starts `count` server processes (compiled bench/workers/app-server.ts) on one database, one after
 * another, each on its own free port of 127.0.0.1, with periodic checkpoints off and a signing key of
 * their own in `dir`, and `extraEnv` over the rest (LEDGER_WRITE_PATH). `options.script` runs another
 * compiled app-server (bench/sale-cpu.ts --baseline), `options.execArgv` replaces the node flags the
 * children inherit from this process.
 */
export async function startInstances(
  databaseUrl: string,
  count: number,
  dir: string,
  extraEnv: Record<string, string> = {},
  options: { script?: string; execArgv?: string[] } = {},
): Promise<Instances> {
  const keys = mkdtempSync(join(dir, 'instances-'))
  const children: ChildProcess[] = []
  const origins: string[] = []
  const close = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
            child.once('exit', () => {
              clearTimeout(killer)
              resolve()
            })
            child.send('stop')
          }),
      ),
    )
  }
  try {
    for (let i = 0; i < count; i++) {
      const child = fork(options.script ?? join(COMPILED_WORKERS, 'app-server.js'), [], {
        ...(options.execArgv ? { execArgv: options.execArgv } : {}),
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          PORT: '0',
          HOST: '127.0.0.1',
          SERIAL_LEDGER_CHECKPOINT_INTERVAL: '0',
          SERIAL_LEDGER_SIGNING_KEY: join(keys, 'signing-key.pem'),
          SERIAL_LEDGER_WITNESS: join(keys, 'witness'),
          ...extraEnv,
        },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      })
      children.push(child)
      const ready = await new Promise<AppServerReady>((resolve, reject) => {
        child.once('message', (m) => resolve(m as AppServerReady))
        child.once('exit', (code, signal) => reject(new Error(`server instance ${i + 1} exited (${code ?? signal})`)))
      })
      origins.push(ready.url)
    }
  } catch (e) {
    await close()
    throw e
  }
  return { origins, processes: children, close }
}
