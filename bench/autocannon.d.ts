// The subset of autocannon's programmatic API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  interface Request {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string | Buffer
    setupRequest?: (req: Request, context: Record<string, unknown>) => Request
  }
  interface Client {
    setRequests(requests: Request[]): void
  }
  interface Histogram {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    p50: number
    p90: number
    p99: number
    total?: number
  }
  interface Options {
    url: string
    connections?: number
    duration?: number
    amount?: number
    timeout?: number
    method?: string
    headers?: Record<string, string>
    body?: string
    pipelining?: number
    sampleInt?: number
    setupClient?: (client: Client) => void
    requests?: Request[]
  }
  interface Result {
    requests: Histogram
    latency: Histogram
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
    statusCodeStats: Record<string, { count: number }>
  }
  interface Instance extends EventEmitter {
    stop(): void
    on(
      event: 'response',
      listener: (client: Client, statusCode: number, resBytes: number, responseTime: number) => void,
    ): this
    on(event: 'done', listener: (result: Result) => void): this
    on(event: string, listener: (...args: unknown[]) => void): this
  }
  function autocannon(opts: Options, cb: (err: Error | null, result: Result) => void): Instance
  export default autocannon
  export type { Client, Instance, Options, Request, Result }
}
