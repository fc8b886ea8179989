import type { KeyObject } from 'node:crypto'
import type { Db } from '../../db/connect.js'
import { inReadSnapshot } from '../../db/transaction.js'
import { listCheckpoints } from './checkpoints.repository.js'
import { appendLeaves, type CompactRange, emptyRange, type Hash, rangeRoot, toHex } from './merkle.rules.js'
import { isSignedBy, keyIdOf } from './signing.js'
import { eventLeaves, ledgerSize } from './tree.js'
import type { SourcedCheckpoint } from './witness.js'

export interface CheckpointFinding {
  /** The checkpoint file (or `checkpoint table`) the finding is about. */
  source: string
  treeSize: number
  issuedAt: string
  /** What is wrong: signature, truncated, rewritten. */
  kind: 'signature' | 'truncated' | 'rewritten'
  reason: string
}

export interface CheckpointReport {
  ok: boolean
  /** Checkpoints (files and table rows) whose signature verified and whose root the ledger still gives. */
  matched: number
  events: number
  findings: CheckpointFinding[]
}

/**
 * Checks the ledger against signed checkpoints: each must be signed by the public key, the ledger must
 * still have at least its events, and the Merkle root over its first `treeSize` events must equal the
 * signed root. The files (the witness copies) are what count; the checkpoint table's rows are checked the
 * same way, so rows an insider replaced are named too. One pass over the events, whatever the count.
 */
export async function verifyAgainstCheckpoints(
  db: Db,
  files: readonly SourcedCheckpoint[],
  publicKey: KeyObject,
): Promise<CheckpointReport> {
  return inReadSnapshot(db, async (ex) => {
    const rows = (await listCheckpoints(ex)).map((checkpoint) => ({ source: 'checkpoint table', checkpoint }))
    const all = [...files, ...rows]
    const findings: CheckpointFinding[] = []
    const finding = (s: SourcedCheckpoint, kind: CheckpointFinding['kind'], reason: string) =>
      findings.push({
        source: s.source,
        treeSize: s.checkpoint.treeSize,
        issuedAt: s.checkpoint.issuedAt,
        kind,
        reason,
      })
    const keyId = keyIdOf(publicKey)
    const signed = all.filter((s) => {
      const ok = s.checkpoint.keyId === keyId && isSignedBy(s.checkpoint, publicKey)
      if (!ok)
        finding(
          s,
          'signature',
          `the signature does not verify with the public key (key ${keyId}; the checkpoint names ` +
            `${s.checkpoint.keyId}): signed with another key, or its size, root or time was changed`,
        )
      return ok
    })
    const events = await ledgerSize(ex)
    const inLedger = signed.filter((s) => {
      if (s.checkpoint.treeSize <= events) return true
      finding(
        s,
        'truncated',
        `it covers ${s.checkpoint.treeSize} events, the ledger has ${events}: ` +
          `events ${events + 1}…${s.checkpoint.treeSize} were removed (the ledger was truncated and its head rewound)`,
      )
      return false
    })
    let roots: Map<number, string>
    try {
      roots = await rootsAt(ex, [...new Set(inLedger.map((s) => s.checkpoint.treeSize))], events)
    } catch (e) {
      // A gap in the seqs: no root can be computed past it.
      for (const s of inLedger) finding(s, 'rewritten', (e as Error).message)
      return { ok: false, matched: 0, events, findings }
    }
    const matchedSizes = inLedger.filter((s) => roots.get(s.checkpoint.treeSize) === s.checkpoint.rootHash)
    for (const s of inLedger)
      if (roots.get(s.checkpoint.treeSize) !== s.checkpoint.rootHash)
        finding(s, 'rewritten', rewritten(s, matchedSizes))
    return { ok: findings.length === 0, matched: matchedSizes.length, events, findings }
  })
}

/** Why a root differs, narrowed by the largest smaller checkpoint that still matches. */
function rewritten(s: SourcedCheckpoint, matched: readonly SourcedCheckpoint[]): string {
  const n = s.checkpoint.treeSize
  const below = Math.max(0, ...matched.map((m) => m.checkpoint.treeSize).filter((size) => size < n))
  return (
    `the Merkle root over the ledger's first ${n} events is not the signed one: an event among ` +
    `${below + 1}…${n} was changed, reordered, removed or re-hashed after this checkpoint was signed` +
    (below > 0 ? ` (events 1…${below} still match a signed checkpoint)` : '')
  )
}

/** The tree roots at the given sizes, in one pass over the events (the tree's right edge only in memory). */
async function rootsAt(ex: Parameters<typeof eventLeaves>[0], sizes: number[], events: number) {
  const roots = new Map<number, string>()
  const wanted = [...sizes].sort((a, b) => a - b)
  let range: CompactRange = emptyRange()
  if (wanted.includes(0)) roots.set(0, toHex(rangeRoot(range)))
  const last = wanted[wanted.length - 1] ?? 0
  if (last === 0) return roots
  let batch: Hash[] = []
  let next = 0
  for await (const { event, leaf } of eventLeaves(ex, Math.min(last, events))) {
    batch.push(leaf)
    while (next < wanted.length && wanted[next]! < event.logPos) next++
    if (wanted[next] === event.logPos || batch.length === 4096) {
      range = appendLeaves(range, batch)
      batch = []
      if (wanted[next] === event.logPos) roots.set(event.logPos, toHex(rangeRoot(range)))
    }
  }
  return roots
}
