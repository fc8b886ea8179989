import { fork } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import type { AppServerReady } from '../workers/app-server.js'
import { COMPILED_WORKERS } from './child.js'

export interface Instances {
  origins: string[]
  close(): Promise<void>
}

/**
 * Starts `count` server processes (compiled bench/workers/app-server.ts) on one database, one after
 * another, each on its own free port of 127.0.0.1, with periodic checkpoints off and a signing key of
 * their own in `dir`, and `extraEnv` over the rest (LEDGER_WRITE_PATH).
 */
export async function startInstances(
  databaseUrl: string,
  count: number,
  dir: string,
  extraEnv: Record<string, string> = {},
): Promise<Instances> {
  const keys = mkdtempSync(join(dir, 'instances-'))
  const children: ReturnType<typeof fork>[] = []
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
      const child = fork(join(COMPILED_WORKERS, 'app-server.js'), [], {
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
  return { origins, close }
}
