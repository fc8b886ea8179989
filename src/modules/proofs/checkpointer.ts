import type { AppContext } from '../../core/context.js'
import { makeCheckpoint, type ProofSettings } from './checkpoints.service.js'

export interface Checkpointer {
  /** Makes a checkpoint now if the ledger grew (what each tick does); resolves when it is written. */
  tick(): Promise<void>
  stop(): Promise<void>
}

/**
 * Makes a checkpoint every `intervalSeconds` while the server runs, when the ledger grew since the last
 * one. It reads on a snapshot and writes one row, so it never holds the ledger's write lock; a failure
 * (the witness unreachable) is reported and retried at the next tick.
 */
export function startCheckpointer(
  ctx: AppContext,
  settings: ProofSettings,
  intervalSeconds: number,
  report: (e: unknown) => void,
): Checkpointer {
  let running: Promise<void> | undefined
  const tick = () => {
    running ??= makeCheckpoint(ctx, settings, { onlyIfGrown: true })
      .then(
        () => undefined,
        (e: unknown) => report(e),
      )
      .finally(() => {
        running = undefined
      })
    return running
  }
  const timer = setInterval(() => void tick(), intervalSeconds * 1000)
  timer.unref()
  return {
    tick,
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
