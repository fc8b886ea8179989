import type { Db } from '../../db/connect.js'
import type { Executor } from '../../db/database.js'
import { inReadSnapshot } from '../../db/transaction.js'
import {
  readQuantityLines,
  readUnitLines,
  type StoredEvent,
  toStoredEvent,
  toUnitLine,
  type UnitLine,
} from '../ledger/index.js'
import { resolveUnits } from '../units/index.js'
import { AppError } from '../../core/errors.js'
import { inclusionPath, toHex } from './merkle.rules.js'
import { type EvidencePack, PACK_FORMAT, type PackEvent } from './proofs.schemas.js'
import { getCheckpoint } from './proofs.service.js'
import { readLeafHashes } from './tree.js'

/**
 * Events with up to this many lines carry all of them in a pack, so the verifier recomputes the lines
 * hash and sees the unit among them; a bigger receipt carries the unit's own lines only.
 */
export const PACK_LINE_LIMIT = 100_000

/**
 * One unit's evidence pack: every event of the unit with the unit's lines (and, up to the limit, all the
 * event's lines) and its inclusion proof against the latest checkpoint, which must cover them all.
 */
export async function exportUnitPack(
  db: Db,
  serial: string,
  sku: string | undefined,
  now: Date,
): Promise<EvidencePack> {
  return inReadSnapshot(db, async (ex) => {
    const [unit] = await resolveUnits(ex, [{ serial, sku }], 'serial')
    const checkpoint = await getCheckpoint(ex)
    const lines = await ex
      .selectFrom('event_unit')
      .selectAll()
      .where('unit_id', '=', unit!.id)
      .orderBy('event_seq')
      .orderBy('line_no')
      .execute()
    const seqs = [...new Set(lines.map((l) => Number(l.event_seq)))]
    // The unit's events in log order (the same as their seq order: see the sequencer).
    const rows = seqs.length === 0 ? [] : await ex.selectFrom('event').selectAll().where('seq', 'in', seqs).execute()
    const unplaced = rows.find((r) => r.log_pos === null)
    const events = rows
      .filter((r) => r.log_pos !== null)
      .map(toStoredEvent)
      .sort((a, b) => a.logPos - b.logPos)
    const newest = events.at(-1)?.logPos ?? 0
    if (unplaced || newest > checkpoint.treeSize)
      throw new AppError(
        'proof.out_of_range',
        `event ${unplaced?.seq ?? events.at(-1)!.seq} of ${unit!.serial} is newer than the latest checkpoint ` +
          `(${checkpoint.treeSize} events): make a checkpoint first ("serial-ledger checkpoint")`,
      )
    const leaves = await readLeafHashes(ex, checkpoint.treeSize, db.kysely)
    const packEvents: PackEvent[] = []
    for (const event of events) {
      const own = lines
        .filter((l) => Number(l.event_seq) === event.seq)
        .map((l) => ({ lineNo: l.line_no, ...toUnitLine(l) }))
      packEvents.push({
        event,
        unitLines: own,
        lines: await allLines(ex, event),
        leafIndex: event.logPos - 1,
        path: inclusionPath(leaves, event.logPos - 1).map(toHex),
      })
    }
    return {
      format: PACK_FORMAT,
      subject: { serial: unit!.serial, sku: unit!.skuCode, unitId: unit!.id },
      exportedAt: now.toISOString(),
      checkpoint,
      events: packEvents,
    }
  })
}

async function allLines(ex: Executor, e: StoredEvent): Promise<PackEvent['lines']> {
  if (e.unitCount + e.quantityLineCount > PACK_LINE_LIMIT) return undefined
  const units: UnitLine[] = []
  for await (const batch of readUnitLines(ex, e.seq)) units.push(...batch)
  return { units, quantities: await readQuantityLines(ex, e.seq) }
}
