import type { KeyObject } from 'node:crypto'
import { eventHash, LinesHasher, type StoredEvent } from '../ledger/event.rules.js'
import { eventLeafHash } from './leaf.rules.js'
import { fromHex, verifyInclusion } from './merkle.rules.js'
import { EvidencePack, type PackEvent } from './proofs.schemas.js'
import { isSignedBy, keyIdOf } from './signing.js'

/*
 * The offline verifier: checks an evidence pack with nothing but the pack and the ledger's public key.
 * It imports no database code (a test checks its imports), so a supplier or an auditor can run it on a
 * copy of the pack far away from the ledger.
 */

export interface PackReport {
  ok: boolean
  /** What was checked and held, one sentence each. */
  checks: string[]
  /** What failed, each naming the event (seq) or the part of the pack and why. */
  problems: string[]
}

/** Verifies a pack (parsed JSON) against the public key. */
export function verifyPack(json: unknown, publicKey: KeyObject): PackReport {
  const checks: string[] = []
  const problems: string[] = []
  const parsed = EvidencePack.safeParse(json)
  if (!parsed.success) {
    for (const i of parsed.error.issues.slice(0, 20))
      problems.push(`pack field ${i.path.join('.') || '(top)'}: ${i.message}`)
    return { ok: false, checks, problems }
  }
  const pack = parsed.data
  const c = pack.checkpoint
  const ourKeyId = keyIdOf(publicKey)
  if (c.keyId !== ourKeyId)
    problems.push(`checkpoint names key ${c.keyId}, the public key given is ${ourKeyId}: signed with another key`)
  if (!isSignedBy(c, publicKey))
    problems.push(`checkpoint (${c.treeSize} events, ${c.issuedAt}): the signature does not verify with the public key`)
  else checks.push(`checkpoint of ${c.treeSize} events issued ${c.issuedAt} is signed by key ${ourKeyId}`)
  let previous = 0
  for (const pe of pack.events) {
    const seq = pe.event.seq
    const logPos = pe.event.logPos
    if (logPos <= previous)
      problems.push(`event ${seq} (place ${logPos}) comes after place ${previous}: events are out of order`)
    previous = logPos
    problems.push(...checkEvent(pe, pack, c.rootHash, c.treeSize))
    if (!pe.lines)
      checks.push(
        `event ${seq}: its ${pe.event.unitCount} lines are not in the pack (too many); the event is proven, ` +
          `the unit's line in it is as the exporter states (the full line list is in the ledger export)`,
      )
  }
  if (problems.length === 0)
    checks.push(
      `${pack.events.length} events of ${pack.subject.serial} (${pack.subject.sku}) are in the signed ledger ` +
        `unchanged: ${pack.events.map((e) => `${e.event.seq} ${e.event.type}`).join(', ')}`,
    )
  return { ok: problems.length === 0, checks, problems }
}

function checkEvent(pe: PackEvent, pack: EvidencePack, rootHash: string, treeSize: number): string[] {
  const e = pe.event as StoredEvent
  const at = `event ${e.seq} (${e.type})`
  const problems: string[] = []
  const { hash, ...rest } = e
  if (eventHash(rest) !== hash) problems.push(`${at}: its content was changed (its hash differs)`)
  if (pe.leafIndex !== e.logPos - 1) problems.push(`${at}: leaf index ${pe.leafIndex} is not its place − 1`)
  const proven = verifyInclusion(pe.leafIndex, treeSize, eventLeafHash(e), pe.path.map(fromHex), fromHex(rootHash))
  if (!proven) problems.push(`${at}: the inclusion proof does not lead to the checkpoint's root: not the signed event`)
  const { serial, unitId } = pack.subject
  if (pe.unitLines.length === 0 || pe.unitLines.some((l) => l.serial !== serial || l.unitId !== unitId))
    problems.push(`${at}: its unit lines do not all name ${serial}`)
  if (pe.lines) problems.push(...checkLines(pe, at))
  return problems
}

const LINE_FIELDS = ['unitId', 'skuId', 'serial', 'lotId', 'costMinor', 'priceMinor', 'attributes'] as const

/** With every line in the pack: they give the event's lines hash, and the unit's lines are among them. */
function checkLines(pe: PackEvent, at: string): string[] {
  const { units, quantities } = pe.lines!
  const hasher = new LinesHasher()
  for (const l of units) hasher.addUnit(l)
  for (const q of quantities) hasher.addQuantity(q)
  const problems: string[] = []
  if (units.length !== pe.event.unitCount || quantities.length !== pe.event.quantityLineCount)
    problems.push(`${at}: the pack has ${units.length} unit lines, the event says ${pe.event.unitCount}`)
  if (hasher.digest() !== pe.event.linesHash) problems.push(`${at}: its lines were changed (lines hash differs)`)
  for (const own of pe.unitLines) {
    const line = own.lineNo === undefined ? undefined : units[own.lineNo - 1]
    if (!line || !LINE_FIELDS.every((f) => line[f] === own[f]))
      problems.push(`${at}: unit line ${own.lineNo ?? '?'} is not the event's line`)
  }
  return problems
}
