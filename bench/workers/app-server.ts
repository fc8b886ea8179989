import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import { loadConfig } from '../../src/config.js'
import { startServer } from '../../src/http/server.js'
import { sequencerOf } from '../../src/modules/ledger/index.js'

/** What the parent is told once the server listens. */
export interface AppServerReady {
  url: string
}

/**
 * What the parent may ask besides "stop" (bench/sale-cpu.ts): the process's CPU so far, or to start and
 * stop a CPU profile of what runs in between (written as a .cpuprofile JSON to `file`). Each is answered
 * with an AppServerAnswer.
 */
export type AppServerProbe = { probe: 'cpu' } | { probe: 'profile-start' } | { probe: 'profile-stop'; file: string }

export interface AppServerAnswer {
  probe: AppServerProbe['probe']
  /** process.cpuUsage() (user and system, µs) when the probe was answered. */
  cpu: NodeJS.CpuUsage
  /** This process's sequencer's passes and events placed so far (the sequenced path). */
  sequencer?: { passes: number; placed: number; busy: number }
}

/**
 * One server instance in its own process, as `serial-ledger serve` runs it (startServer: migrations,
 * commands, checkpointer, webhook deliverer), configured from the environment the parent sets. It
 * answers `{ url }` once it listens and closes cleanly on the message "stop" (or when the parent dies).
 * BENCH_SERVER_LOGGER=1 turns the request log on (as `serve` has it; its output goes nowhere).
 */
const server = await startServer(loadConfig(process.env), { logger: process.env.BENCH_SERVER_LOGGER === '1' })
process.send!({ url: server.url } satisfies AppServerReady)
const stop = () => void server.close().finally(() => process.exit(0))
let profiler: Session | undefined
const sequencerStats = () => {
  const stats = sequencerOf(server.db)?.stats
  return stats && { ...stats }
}
const answerProbe = async (m: AppServerProbe): Promise<void> => {
  if (m.probe === 'profile-start') {
    profiler = new Session()
    profiler.connect()
    await profiler.post('Profiler.enable')
    await profiler.post('Profiler.start')
  } else if (m.probe === 'profile-stop' && profiler) {
    // The CPU up to the end of the profiled stretch, not the writing of the profile.
    const cpu = process.cpuUsage()
    const { profile } = await profiler.post('Profiler.stop')
    writeFileSync(m.file, JSON.stringify(profile))
    profiler.disconnect()
    profiler = undefined
    process.send!({ probe: m.probe, cpu, sequencer: sequencerStats() } satisfies AppServerAnswer)
    return
  }
  process.send!({ probe: m.probe, cpu: process.cpuUsage(), sequencer: sequencerStats() } satisfies AppServerAnswer)
}
process.on('message', (m) => {
  if (m === 'stop') stop()
  else if (m && typeof m === 'object' && 'probe' in m) void answerProbe(m as AppServerProbe)
})
process.on('disconnect', stop)
