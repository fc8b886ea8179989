import { sql } from 'kysely'
import type { Db } from '../../db/connect.js'
import type { Trx } from '../../db/database.js'
import { onSequencedPath } from '../../db/transaction.js'
import { eventHash, type StoredEvent } from './event.js'
import { toWrittenEvent } from './ledger.repository.js'
import { enqueueDeliveriesOf } from './outbox.repository.js'
import { foldUnitStock } from './unit-stock-projector.js'

/*
 * The sequencer of the sequenced write path (PostgreSQL). Commands commit their events with a seq from
 * `event_seq_seq` and no place in the log; the sequencer gives committed events their place (`log_pos`,
 * 1, 2, 3… with no gap), in seq order, chains them (`prev_hash`, `hash`), moves the ledger head and
 * queues their webhook deliveries, in batches. One runs at a time across every instance: a pass holds
 * the `ledger_head` row lock (taken with SKIP LOCKED, so a second instance skips instead of queueing),
 * and a pass that dies with its connection releases it, so any other instance takes over at its next pass.
 *
 * Why seq order within a pass is a right log order: of two committed commands that changed the same row,
 * the later one's snapshot saw the first's commit (else REPEATABLE READ refused it with 40001 and it ran
 * again), and its seq was taken after its snapshot, so it has the larger seq. An event still in flight
 * with a smaller seq than an event sequenced now therefore shares no changed row with it, and may take a
 * later place. So every unit's (and stock row's) events are in the same order by seq and by log position,
 * which is what keeps replay exact; `verify` checks it.
 */

/** Most events one pass places; a pass holds the head lock for one round trip per statement. */
const BATCH = 500
/** How often an idle instance looks for committed events no one has placed (a crashed sequencer's). */
const POLL_MS = 50
/** Pause before trying again when another instance holds the head lock (doubling up to BUSY_MAX_MS). */
const BUSY_PAUSE_MS = 2
const BUSY_MAX_MS = 50

export type PassResult = { placed: number } | 'busy'

/**
 * One pass: under the head lock, places up to BATCH committed events in seq order after the head.
 * Answers 'busy' when another pass (of any instance) holds the lock.
 */
export async function sequenceOnce(db: Db): Promise<PassResult> {
  return db.kysely.transaction().execute(async (trx) => {
    const head = await trx
      .selectFrom('ledger_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst()
    if (!head) return 'busy' as const
    const rows = await trx
      .selectFrom('event')
      .selectAll()
      .where('log_pos', 'is', null)
      .orderBy('seq')
      .limit(BATCH)
      .execute()
    if (rows.length === 0) return { placed: 0 }
    let logPos = Number(head.seq)
    let prevHash = head.hash
    const sealed: StoredEvent[] = rows.map((r) => {
      const unsealed = { ...toWrittenEvent(r), logPos: ++logPos, prevHash }
      prevHash = eventHash(unsealed)
      return { ...unsealed, hash: prevHash }
    })
    await placeEvents(trx, sealed)
    // The unit counts these events changed, queued by their commands so no count row was contended.
    await foldUnitStock(
      trx,
      sealed.map((e) => e.seq),
    )
    await trx.updateTable('ledger_head').set({ seq: logPos, hash: prevHash }).where('id', '=', 1).execute()
    await enqueueDeliveriesOf(trx, sealed)
    return { placed: sealed.length }
  })
}

async function placeEvents(trx: Trx, events: readonly StoredEvent[]): Promise<void> {
  const values = sql.join(events.map((e) => sql`(${e.seq}::bigint, ${e.logPos}::bigint, ${e.prevHash}, ${e.hash})`))
  await sql`
    update event set log_pos = v.log_pos, prev_hash = v.prev_hash, hash = v.hash
    from (values ${values}) as v (seq, log_pos, prev_hash, hash)
    where event.seq = v.seq and event.log_pos is null
  `.execute(trx)
}

/** True when some committed event has no place in the log yet. */
async function hasUnplaced(db: Db): Promise<boolean> {
  const row = await db.kysely.selectFrom('event').select('seq').where('log_pos', 'is', null).limit(1).executeTakeFirst()
  return row !== undefined
}

/**
 * This process's sequencer for one database: runs passes while there is work, nudged after every
 * sequenced commit, and polls every POLL_MS for events committed by instances that stopped before their
 * own sequencer placed them.
 */
export class Sequencer {
  private running?: Promise<void>
  private again = false
  private stopped = false
  private readonly timer: NodeJS.Timeout
  /** Passes run and events placed by this process (for tests and the bench). */
  readonly stats = { passes: 0, placed: 0, busy: 0 }

  constructor(
    private readonly db: Db,
    private readonly report: (e: unknown) => void = () => {},
  ) {
    this.timer = setInterval(() => void this.poll(), POLL_MS)
    this.timer.unref()
  }

  /** Runs passes until no committed event is left unplaced; resolves when they are done. */
  nudge(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.drain().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async poll(): Promise<void> {
    if (this.running || this.stopped) return
    try {
      if (await hasUnplaced(this.db)) await this.nudge()
    } catch (e) {
      if (!this.stopped) this.report(e)
    }
  }

  private async drain(): Promise<void> {
    let pause = BUSY_PAUSE_MS
    for (;;) {
      this.again = false
      let result: PassResult
      try {
        result = await sequenceOnce(this.db)
      } catch (e) {
        if (!this.stopped) this.report(e)
        return
      }
      this.stats.passes++
      if (this.stopped) return
      if (result === 'busy') {
        // Another instance is placing events: ours may have committed after its pass read, so try again.
        this.stats.busy++
        await new Promise((resolve) => setTimeout(resolve, pause))
        pause = Math.min(BUSY_MAX_MS, pause * 2)
        continue
      }
      pause = BUSY_PAUSE_MS
      this.stats.placed += result.placed
      if (result.placed < BATCH && !this.again) return
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.running
  }
}

const sequencers = new WeakMap<Db['kysely'], Sequencer>()

/** The process's sequencer for `db` (made on first use); nothing on the locked path. */
export function sequencerOf(db: Db): Sequencer | undefined {
  if (db.writePath !== 'sequenced') return undefined
  let s = sequencers.get(db.kysely)
  if (!s) {
    s = new Sequencer(db)
    sequencers.set(db.kysely, s)
    db.beforeClose.push(() => s!.stop())
  }
  return s
}

/**
 * At a server's start on PostgreSQL. Sequenced path: starts this process's sequencer. Locked path: places
 * the events a sequenced spell left without a place, so the locked path's first event follows them.
 */
export async function startSequencing(db: Db): Promise<void> {
  const sequencer = sequencerOf(db)
  if (sequencer) {
    // After a locked spell the sequence may be behind the seqs the locked path gave: move it past them.
    await sql`
      select setval('event_seq_seq', m.seq) from (select max(seq) as seq from event) m, event_seq_seq s
      where m.seq > s.last_value
    `.execute(db.kysely)
    return sequencer.nudge()
  }
  for (let result = await sequenceOnce(db); result !== 'busy' && result.placed > 0; result = await sequenceOnce(db));
}

/** How long a reader of the log waits for the events committed before it to be placed. */
const WAIT_MS = 5_000

/**
 * Waits until every event committed before this call has its place in the log (running passes itself),
 * so a reader of the log (verify, proofs, the event feed) sees what was acknowledged before it asked.
 * Returns at once on the locked path; gives up after WAIT_MS (the caller then reads what is placed).
 */
export async function awaitSequenced(db: Db): Promise<void> {
  const sequencer = sequencerOf(db)
  if (!sequencer) return
  const deadline = Date.now() + WAIT_MS
  const last = await db.kysely
    .selectFrom('event')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('log_pos', 'is', null)
    .executeTakeFirst()
  if (last?.seq === null || last?.seq === undefined) return
  const upTo = Number(last.seq)
  while (Date.now() < deadline) {
    await Promise.race([sequencer.nudge(), new Promise((resolve) => setTimeout(resolve, deadline - Date.now()))])
    const left = await db.kysely
      .selectFrom('event')
      .select('seq')
      .where('log_pos', 'is', null)
      .where('seq', '<=', upTo)
      .limit(1)
      .executeTakeFirst()
    if (!left) return
    await new Promise((resolve) => setTimeout(resolve, BUSY_PAUSE_MS))
  }
}

onSequencedPath({ afterCommit: (db) => void sequencerOf(db)?.nudge(), beforeRead: awaitSequenced })
