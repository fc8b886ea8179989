import autocannon, { type Request } from 'autocannon'
import { serveWorker } from '../lib/child.js'
import { serialOf } from '../lib/fixtures.js'
import { distribution, type Distribution, type LoadRun } from '../lib/stats.js'

/** What each request sells or looks up; serials are `prefix` + zero-padded number. */
export type LoadPlan =
  | {
      kind: 'sell'
      path: string
      prefix: string
      width: number
      customer: string
      firstIndex: number
      perClient: number
    }
  | { kind: 'lookup'; path: string; prefix: string; width: number; maxIndex: number }
  | { kind: 'paths'; paths: string[] }

export interface LoadInput {
  /** Origin, always http://127.0.0.1:<port>. */
  origin: string
  connections: number
  /** Stop after this many requests (sells) … */
  amount?: number
  /** … or after this many seconds (lookups). */
  duration?: number
  /** Hard bound: the run is stopped after this long whatever happens. */
  maxSeconds: number
  plan: LoadPlan
  /** Sent with every request (the API token). */
  headers?: Record<string, string>
  keepSamples?: boolean
}

export interface LoadOutput extends LoadRun {
  timeouts: number
  /** Latency of every response in ms, measured by autocannon with hrtime (sub-millisecond). */
  latencyMs: Distribution
  /** Every 2xx latency (ms), when asked for with keepSamples. */
  samples?: number[]
  statusCodes: Record<string, number>
  stoppedEarly: boolean
}

/**
 * HTTP load from its own process (so the load generator does not share the server's event loop), with
 * autocannon. For sells, client k owns serials firstIndex + k·perClient … + perClient − 1, so every
 * request sells a different unit that is still in stock.
 */
serveWorker<LoadInput, LoadOutput>(
  ({ origin, connections, amount, duration, maxSeconds, plan, headers = {}, keepSamples }) => {
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(origin)) throw new Error(`load only targets 127.0.0.1, got ${origin}`)
    const latencies: number[] = []
    let clients = 0
    const setupClient = (client: { setRequests(r: Request[]): void }) => {
      const k = clients++
      if (plan.kind === 'sell') {
        let next = plan.firstIndex + k * plan.perClient
        const last = next + plan.perClient - 1
        let order = 0
        client.setRequests([
          {
            method: 'POST',
            path: plan.path,
            headers: { ...headers, 'content-type': 'application/json' },
            setupRequest: (req) => {
              if (next > last) throw new Error(`client ${k} ran out of serials (its slice has ${plan.perClient})`)
              const serial = serialOf(plan.prefix, next++, plan.width)
              return {
                ...req,
                body: JSON.stringify({ customer: plan.customer, orderRef: `WEB-${k}-${++order}`, units: [serial] }),
              }
            },
          },
        ])
      } else if (plan.kind === 'paths') {
        client.setRequests([
          {
            method: 'GET',
            headers,
            setupRequest: (req) => ({ ...req, path: plan.paths[Math.floor(Math.random() * plan.paths.length)]! }),
          },
        ])
      } else {
        client.setRequests([
          {
            method: 'GET',
            headers,
            setupRequest: (req) => {
              const serial = serialOf(plan.prefix, 1 + Math.floor(Math.random() * plan.maxIndex), plan.width)
              return { ...req, path: `${plan.path}${encodeURIComponent(serial)}` }
            },
          },
        ])
      }
    }
    return new Promise<LoadOutput>((resolve, reject) => {
      const t0 = performance.now()
      let stoppedEarly = false
      let lastResponse = t0
      // sampleInt: autocannon only notices the end on its sampling tick (default every second), so the
      // run's own duration is quantised; the rate here is measured to the last response instead.
      const instance = autocannon(
        { url: origin, connections, ...(amount ? { amount } : { duration }), timeout: 30, sampleInt: 100, setupClient },
        (err, result) => {
          clearTimeout(guard)
          if (err) return reject(err)
          const seconds = (lastResponse - t0) / 1000
          const statusCodes = Object.fromEntries(
            Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, v.count]),
          )
          const ok = result['2xx']
          resolve({
            ok,
            non2xx: result.non2xx,
            errors: result.errors,
            timeouts: result.timeouts,
            seconds,
            rps: ok / seconds,
            latencyMs: distribution(latencies),
            ...(keepSamples ? { samples: latencies } : {}),
            statusCodes,
            stoppedEarly,
          })
        },
      )
      instance.on('response', (_client, status, _bytes, responseTime) => {
        lastResponse = performance.now()
        if (status >= 200 && status < 300) latencies.push(responseTime)
      })
      const guard = setTimeout(() => {
        stoppedEarly = true
        instance.stop()
      }, maxSeconds * 1000)
    })
  },
)
