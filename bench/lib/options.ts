/**
 * Benchmark options from the command line (`npm run bench -- --only receipt --units 200000`) or the
 * environment (BENCH_ONLY, BENCH_UNITS, …); a flag beats its variable. Defaults are the full sizes.
 */
export const BENCHMARKS = [
  'receipt',
  'http-receipt',
  'sell',
  'lookup-http',
  'lookup',
  'proofs',
  'count',
  'ageing',
  'webhooks',
  'epcis',
  'labels',
  'quality',
  'warranty',
  'containers',
] as const
export type BenchName = (typeof BENCHMARKS)[number]

export interface BenchOptions {
  only: Set<BenchName>
  /** Serials in the receipt benchmark; also the size of the ledger the other benchmarks use. */
  units: number
  /** Serials in the one POST /receipts request. */
  httpSerials: number
  /** Sell requests measured (after a warm-up). */
  sells: number
  /** Most seconds the HTTP sell run may take before it is stopped. */
  sellMaxSeconds: number
  /** Random serials looked up in-process. */
  lookups: number
  /** Seconds of each HTTP lookup round (two rounds per side, interleaved). */
  lookupSeconds: number
  connections: number
  /** Raw sale transactions per baseline kind, over all rounds (each round bounded by time too). */
  rawSells: number
  synchronous: 'FULL' | 'NORMAL'
  /** Events in the ledger the feed and webhook benchmark builds. */
  events: number
  /** Outbox rows the deliverer sends in the webhook benchmark. */
  deliveries: number
  /** HTTP sells of the outbox overhead runs (four rounds, alternating without and with a subscription). */
  outboxSells: number
  /** Keep the temp directory (databases) for inspection. */
  keep: boolean
  /** Also run the raw receipt baseline a second time, after the service run, and average. */
  rawTwice: boolean
  /**
   * A postgres:// URL naming a database that does not exist yet: the PostgreSQL suite (receipt, sell,
   * lookup) runs there instead of the SQLite one, creating the database and dropping it afterwards.
   */
  database?: string
  /** Server processes of each PostgreSQL HTTP sell run, in order (`--instances 1,2,4`). */
  instances: number[]
}

const HELP = `Usage: npm run bench -- [options]
  --only <list>          comma-separated subset of: ${BENCHMARKS.join(', ')} (default: all)
  --units <n>            serials received by the service (ledger size; 200k, 10m) [1000000]
  --http-serials <n>     serials in the one POST /api/v1/receipts         [100000]
  --sells <n>            HTTP sell requests measured                      [20000]
  --sell-max-seconds <s> stop the HTTP sell run after this long           [60]
  --raw-sells <n>        raw sale transactions per kind (4 rounds, ≤3 s each) [10000]
  --lookups <n>          in-process lookups (random serials)              [5000]
  --lookup-seconds <s>   seconds per HTTP lookup round                    [6]
  --connections <n>      concurrent HTTP clients                          [50]
  --events <n>           events in the feed/webhook ledger               [1000000]
  --deliveries <n>       webhook deliveries sent                         [20000]
  --outbox-sells <n>     HTTP sells of the outbox overhead runs          [8000]
  --synchronous <FULL|NORMAL>  SQLite synchronous level for every side    [FULL]
  --raw-once             run the raw receipt baseline once (default: before and after the service)
  --keep                 keep the temp directory with the databases
  --database <url>       postgres://…/<new db>: run receipt, sell and lookup on PostgreSQL instead
                         (the database is created, and dropped at the end unless --keep)
  --instances <list>     server processes of each PostgreSQL HTTP sell run   [1,2,4]
Each option also reads BENCH_<NAME> from the environment (BENCH_UNITS=200000, BENCH_ONLY=receipt).`

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--help' || arg === '-h') {
      console.log(HELP)
      process.exit(0)
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${HELP}`)
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined]
    if (name === 'keep' || name === 'raw-once') flags.set(name, 'true')
    else {
      const value = inline ?? argv[++i]
      if (value === undefined) throw new Error(`--${name} needs a value\n${HELP}`)
      flags.set(name, value)
    }
  }
  const get = (name: string): string | undefined =>
    flags.get(name) ?? env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`]
  const int = (name: string, dflt: number, min = 1): number => {
    const raw = get(name)
    if (raw === undefined) return dflt
    // `10m`, `200k`: the issue's own spelling of ledger sizes.
    const scaled = /^([\d_.]+)([km])$/i.exec(raw)
    const n = scaled
      ? Number(scaled[1]!.replace(/_/g, '')) * (scaled[2]!.toLowerCase() === 'k' ? 1e3 : 1e6)
      : Number(raw.replace(/_/g, ''))
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${raw}`)
    return n
  }
  const onlyRaw = get('only')
  const only = new Set<BenchName>()
  for (const name of onlyRaw
    ? onlyRaw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : BENCHMARKS) {
    if (!(BENCHMARKS as readonly string[]).includes(name))
      throw new Error(`unknown benchmark ${name}; choose from ${BENCHMARKS.join(', ')}`)
    only.add(name as BenchName)
  }
  const sync = (get('synchronous') ?? 'FULL').toUpperCase()
  if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error(`--synchronous must be FULL or NORMAL, got ${sync}`)
  const truthy = (name: string) => ['1', 'true', 'yes'].includes((get(name) ?? '').toLowerCase())
  return {
    only,
    units: int('units', 1_000_000, 1000),
    httpSerials: int('http-serials', 100_000),
    sells: int('sells', 20_000),
    sellMaxSeconds: int('sell-max-seconds', 60),
    rawSells: int('raw-sells', 10_000),
    lookups: int('lookups', 5000),
    lookupSeconds: int('lookup-seconds', 6),
    connections: int('connections', 50),
    events: int('events', 1_000_000),
    deliveries: int('deliveries', 20_000),
    outboxSells: int('outbox-sells', 8000),
    synchronous: sync,
    keep: truthy('keep'),
    rawTwice: !truthy('raw-once'),
    database: postgresUrl(get('database')),
    instances: instanceCounts(get('instances') ?? '1,2,4'),
  }
}

function postgresUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new Error(`--database must be a postgres:// URL, got ${raw}`)
  const name = new URL(raw).pathname.slice(1)
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`--database must name a new database (lower-case letters, digits, _), got "${name}"`)
  return raw
}

function instanceCounts(raw: string): number[] {
  const counts = raw.split(',').map((s) => Number(s.trim()))
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 16))
    throw new Error(`--instances must be a comma-separated list of integers 1–16, got ${raw}`)
  return counts
}
