import { Agent, request } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { serveWorker } from '../lib/child.js'
import { serialOf } from '../lib/fixtures.js'
import { distribution, type Distribution, type LoadRun } from '../lib/stats.js'

export interface PacedLoadInput {
  /** Origin, always http://127.0.0.1:<port>. */
  origin: string
  path: string
  connections: number
  /** Requests per second offered by all clients together. */
  rate: number
  /** Requests in all (each client sends its share). */
  amount: number
  /** Hard bound: the run is stopped after this long whatever happens. */
  maxSeconds: number
  headers: Record<string, string>
  /**
   * What each request sells: client k owns serials firstIndex + k·perClient … + perClient − 1, the first
   * of them for its untimed warm-up sale.
   */
  plan: { prefix: string; width: number; customer: string; firstIndex: number; perClient: number }
}

export interface PacedLoadOutput extends LoadRun {
  offeredRate: number
  /** Sales requested on the schedule. */
  amount: number
  /** Untimed warm-up sales that succeeded (one per client, before the schedule starts). */
  warmOk: number
  /** First due time to last answer. */
  seconds: number
  /** From when each request was due (by the schedule) to its answer: what the till's clerk waits. */
  latencyMs: Distribution
  /** From when each request was actually sent to its answer. */
  serviceMs: Distribution
  /** How late requests were sent behind their schedule (their client was still waiting for an answer). */
  lateMs: Distribution
  stoppedEarly: boolean
  /** Every 2xx latency from its due time (ms), for pooling several runs. */
  samples: number[]
}

/**
 * Open-loop HTTP load: C clients (one keep-alive connection each, one request at a time, like a till)
 * together offer `rate` requests per second on a fixed schedule, request i due at i / rate seconds and
 * sent by client i mod C. Latency is measured from the due time, so a slow answer that holds back its
 * client's next request counts against the server (no coordinated omission), unlike a closed loop where
 * clients send back to back and the latency at saturation is only queueing (clients ÷ throughput).
 * Each client first makes one untimed sale, so no timed request pays for opening its connection; a
 * request still unanswered at the deadline is abandoned and counted as an error.
 */
serveWorker<PacedLoadInput, PacedLoadOutput>(
  async ({ origin, path, connections, rate, amount, maxSeconds, headers, plan }) => {
    const url = new URL(origin)
    if (url.hostname !== '127.0.0.1') throw new Error(`load only targets 127.0.0.1, got ${origin}`)
    const latencies: number[] = []
    const service: number[] = []
    const late: number[] = []
    let non2xx = 0
    let errors = 0
    let lastAnswer = 0
    const post = (agent: Agent, body: string, timeoutMs: number) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path,
            method: 'POST',
            agent,
            headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode ?? 0))
            res.on('error', reject)
          },
        )
        req.setTimeout(Math.max(1, timeoutMs), () => req.destroy(new Error('no answer before the deadline')))
        req.on('error', reject)
        req.end(body)
      })
    const agents = Array.from({ length: connections }, () => new Agent({ keepAlive: true, maxSockets: 1 }))
    const bodies = agents.map((_, k) => {
      let next = plan.firstIndex + k * plan.perClient
      let order = 0
      return () => {
        if (order >= plan.perClient) throw new Error(`client ${k} ran out of serials (its slice has ${plan.perClient})`)
        return JSON.stringify({
          customer: plan.customer,
          orderRef: `PACED-${k}-${++order}`,
          units: [serialOf(plan.prefix, next++, plan.width)],
        })
      }
    })
    const warm = await Promise.all(
      agents.map((agent, k) => post(agent, bodies[k]!(), maxSeconds * 1000).catch(() => 0)),
    )
    const warmOk = warm.filter((status) => status >= 200 && status < 300).length

    const start = performance.now() + 50
    const deadline = start + maxSeconds * 1000
    const client = async (k: number) => {
      const agent = agents[k]!
      for (let i = k; i < amount; i += connections) {
        const due = start + (i * 1000) / rate
        if (due > deadline) break
        const wait = due - performance.now()
        if (wait > 0) await sleep(wait)
        const body = bodies[k]!()
        const sent = performance.now()
        try {
          const status = await post(agent, body, deadline - sent)
          const now = performance.now()
          lastAnswer = now
          if (status >= 200 && status < 300) {
            latencies.push(now - due)
            service.push(now - sent)
            late.push(sent - due)
          } else non2xx++
        } catch {
          errors++
        }
      }
      agent.destroy()
    }
    await Promise.all(Array.from({ length: connections }, (_, k) => client(k)))
    const seconds = (lastAnswer - start) / 1000
    return {
      offeredRate: rate,
      amount,
      warmOk,
      ok: latencies.length,
      non2xx,
      errors,
      seconds,
      rps: latencies.length / seconds,
      latencyMs: distribution(latencies),
      serviceMs: distribution(service),
      lateMs: distribution(late),
      stoppedEarly: performance.now() > deadline,
      samples: latencies,
    }
  },
)
