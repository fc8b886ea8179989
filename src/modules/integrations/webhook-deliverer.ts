import { sql } from 'kysely'
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Clock } from '../../core/clock.js'
import type { Db } from '../../db/connect.js'
import { feedEventsBySeq } from './feed.queries.js'
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature.js'
import { afterFailure, BACKOFF_BASE_MS } from './webhooks.rules.js'

/** Recorded successes are written at least this often (milliseconds). */
const FLUSH_MS = 200

export interface DelivererOptions {
  /** How long to wait when there was nothing to send. */
  idleMs?: number
  /** Most deliveries one subscription sends in one round. */
  batch?: number
  /** A receiver that has not answered by then has failed this attempt. */
  timeoutMs?: number
  /** First retry delay, doubling per failure (tests shorten it). */
  backoffBaseMs?: number
  /** Successes are recorded after this many deliveries (or 200 ms), whichever comes first. */
  flushEvery?: number
  /** How long a subscription's lease lasts; it is renewed while sending (a crashed holder's runs out). */
  leaseMs?: number
}

interface Subscription {
  id: string
  url: string
  secret: string
  max_attempts: number
}

interface Lease {
  subscriptionId: string
  until: Date
}

/** Whether a lease holder names a process of this machine that is no longer running. */
function isDeadHereHolder(owner: string): boolean {
  const [host, pid] = owner.split(':')
  if (host !== hostname() || !pid || Number(pid) === process.pid) return false
  try {
    process.kill(Number(pid), 0)
    return false
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** What one round did. */
export interface RoundResult {
  delivered: number
  failed: number
}

/**
 * Sends the outbox. Each round takes, per active subscription, its pending deliveries in event order and
 * POSTs them one at a time (signed; see webhook-signature.ts): a failure stops that subscription's round
 * and is retried after an exponential backoff, so a receiver never gets event N+1 before event N was
 * delivered or became a dead letter. Everything it knows is in the database, so a restarted server
 * resumes where the last one stopped; a delivery whose success was not yet recorded is sent again
 * (at least once: receivers de-duplicate on the event id).
 *
 * Two servers on one database never both send: a subscription's outbox is sent only by the deliverer
 * holding its lease (`lease_owner`, `lease_until`, taken by one conditional UPDATE, which the database
 * grants to one of them), renewed while it sends and released after each round with its successes
 * recorded. A holder that died leaves its lease to run out, or, on the same machine, to be taken at
 * once (its process is gone).
 */
export class WebhookDeliverer {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private isStarted = false
  private isStopping = false
  private readonly o: Required<DelivererOptions>
  /** Who holds a lease: this machine, this process, this deliverer. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    options: DelivererOptions = {},
  ) {
    this.o = {
      idleMs: 500,
      batch: 200,
      timeoutMs: 10_000,
      backoffBaseMs: BACKOFF_BASE_MS,
      flushEvery: 100,
      leaseMs: 30_000,
      ...options,
    }
  }

  start(): void {
    if (this.isStarted) return
    this.isStarted = true
    this.isStopping = false
    this.schedule(0)
  }

  /** Stops after the round in flight (a delivery being sent is finished or times out first). */
  async stop(): Promise<void> {
    this.isStopping = true
    this.isStarted = false
    clearTimeout(this.timer)
    await this.running
  }

  private schedule(ms: number): void {
    if (this.isStopping) return
    this.timer = setTimeout(() => {
      this.running = this.runRound().then(
        (r) => this.schedule(r.delivered + r.failed > 0 ? 0 : this.o.idleMs),
        () => this.schedule(this.o.idleMs),
      )
    }, ms)
  }

  /** One round over every subscription with something due. */
  async runRound(): Promise<RoundResult> {
    const heads = await this.db.kysely
      .selectFrom('webhook_delivery as d')
      .innerJoin('webhook_subscription as s', 's.id', 'd.subscription_id')
      .select(['s.id', 's.url', 's.secret', 's.max_attempts'])
      .where('d.status', '=', sql.lit('pending'))
      .where('s.is_active', '=', 1)
      .groupBy(['s.id', 's.url', 's.secret', 's.max_attempts'])
      .execute()
    const results = await Promise.all(heads.map((s) => this.sendLeased(s)))
    return results.reduce((a, b) => ({ delivered: a.delivered + b.delivered, failed: a.failed + b.failed }), {
      delivered: 0,
      failed: 0,
    })
  }

  /** Sends one subscription's due deliveries if this deliverer gets its lease, then gives the lease back. */
  private async sendLeased(s: Subscription): Promise<RoundResult> {
    const lease = await this.claim(s.id)
    if (!lease) return { delivered: 0, failed: 0 }
    try {
      return await this.sendFor(s, lease)
    } finally {
      await this.db.kysely
        .updateTable('webhook_subscription')
        .set({ lease_owner: null, lease_until: null })
        .where('id', '=', s.id)
        .where('lease_owner', '=', this.owner)
        .execute()
    }
  }

  /**
   * Takes (or renews) the lease of a subscription: free, ours, run out, or held by a process of this
   * machine that is no longer running. One conditional UPDATE: of two deliverers, the database lets
   * one change the row. Returns the lease, or undefined when another deliverer holds it.
   */
  private async claim(subscriptionId: string): Promise<Lease | undefined> {
    const now = this.clock.now()
    const until = new Date(now.getTime() + this.o.leaseMs)
    // `from` undefined: the lease is free, ours or run out; else exactly that holder's (a dead process's).
    const take = (from?: string) =>
      this.db.kysely
        .updateTable('webhook_subscription')
        .set({ lease_owner: this.owner, lease_until: until.toISOString() })
        .where('id', '=', subscriptionId)
        .where((eb) =>
          from !== undefined
            ? eb('lease_owner', '=', from)
            : eb.or([
                eb('lease_owner', 'is', null),
                eb('lease_owner', '=', this.owner),
                eb('lease_until', '<', now.toISOString()),
              ]),
        )
        .executeTakeFirst()
    const taken = await take()
    if (Number(taken.numUpdatedRows) === 1) return { subscriptionId, until }
    const held = await this.db.kysely
      .selectFrom('webhook_subscription')
      .select('lease_owner')
      .where('id', '=', subscriptionId)
      .executeTakeFirst()
    if (!held?.lease_owner || !isDeadHereHolder(held.lease_owner)) return undefined
    const stolen = await take(held.lease_owner)
    return Number(stolen.numUpdatedRows) === 1 ? { subscriptionId, until } : undefined
  }

  /** Keeps the lease for at least one more attempt; false when it was lost (this round then stops). */
  private async keep(lease: Lease): Promise<boolean> {
    if (lease.until.getTime() - this.clock.now().getTime() > this.o.timeoutMs + 5_000) return true
    const renewed = await this.db.kysely
      .updateTable('webhook_subscription')
      .set({ lease_until: new Date(this.clock.now().getTime() + this.o.leaseMs).toISOString() })
      .where('id', '=', lease.subscriptionId)
      .where('lease_owner', '=', this.owner)
      .executeTakeFirst()
    if (Number(renewed.numUpdatedRows) !== 1) return false
    lease.until = new Date(this.clock.now().getTime() + this.o.leaseMs)
    return true
  }

  private async sendFor(s: Subscription, lease: Lease): Promise<RoundResult> {
    const db = this.db.kysely
    // In log order (the sequencer queues deliveries as it places events; on the locked path it is seq order).
    const due = await db
      .selectFrom('webhook_delivery as d')
      .innerJoin('event as e', 'e.seq', 'd.event_seq')
      .select(['d.event_seq', 'd.attempts', 'd.next_attempt_at'])
      .where('d.subscription_id', '=', s.id)
      .where('d.status', '=', sql.lit('pending'))
      .orderBy('e.log_pos')
      .limit(this.o.batch)
      .execute()
    const events = new Map(
      (
        await feedEventsBySeq(
          db,
          due.map((d) => Number(d.event_seq)),
        )
      ).map((e) => [e.seq, e]),
    )
    const delivered: number[] = []
    let sent = 0
    let failed = 0
    let flushedAt = performance.now()
    const flush = async () => {
      flushedAt = performance.now()
      if (delivered.length === 0) return
      await db
        .updateTable('webhook_delivery')
        .set({ status: 'delivered', delivered_at: this.clock.now().toISOString(), last_error: null })
        .where('subscription_id', '=', s.id)
        .where('event_seq', 'in', delivered.splice(0))
        .execute()
    }
    for (const d of due) {
      if (this.isStopping || !(await this.keep(lease))) break
      const seq = Number(d.event_seq)
      // The head of the line is waiting out its backoff: nothing behind it may overtake it.
      if (new Date(d.next_attempt_at) > this.clock.now()) break
      const event = events.get(seq)
      const outcome = event
        ? await this.post(s, JSON.stringify(event), event.id, seq)
        : { ok: false as const, error: `event ${seq} not found` }
      if (outcome.ok) {
        delivered.push(seq)
        sent++
        // Successes are recorded in groups; a crash resends at most the last group (at least once).
        if (delivered.length >= this.o.flushEvery || performance.now() - flushedAt >= FLUSH_MS) await flush()
        continue
      }
      failed++
      await flush()
      const attempts = d.attempts + 1
      const next = afterFailure(this.clock.now(), attempts, s.max_attempts, this.o.backoffBaseMs)
      await db
        .updateTable('webhook_delivery')
        .set({
          attempts,
          status: next.status,
          next_attempt_at: next.status === 'pending' ? next.nextAttemptAt.toISOString() : d.next_attempt_at,
          last_error: outcome.error.slice(0, 500),
          last_status_code: outcome.statusCode ?? null,
        })
        .where('subscription_id', '=', s.id)
        .where('event_seq', '=', seq)
        .execute()
      // A dead letter steps aside; a delivery still being retried holds the line.
      if (next.status === 'pending') break
    }
    await flush()
    return { delivered: sent, failed }
  }

  private async post(
    s: { id: string; url: string; secret: string },
    body: string,
    eventId: string,
    seq: number,
  ): Promise<{ ok: true } | { ok: false; error: string; statusCode?: number }> {
    const timestamp = Math.floor(this.clock.now().getTime() / 1000)
    try {
      const res = await fetch(s.url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'serial-ledger-webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(s.secret, timestamp, body),
          'x-serial-ledger-event-id': eventId,
          'x-serial-ledger-delivery': `${s.id}:${seq}`,
        },
      })
      await res.arrayBuffer().catch(() => undefined)
      if (res.status >= 200 && res.status < 300) return { ok: true }
      return { ok: false, error: `receiver answered ${res.status}`, statusCode: res.status }
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code
      return { ok: false, error: cause ? `${(e as Error).message} (${cause})` : (e as Error).message }
    }
  }
}
