import { eventHeaderFields, type StoredEvent } from '../ledger/event.rules.js'
import { type Hash, leafHash } from './merkle.rules.js'

/** Names the leaf format, so a later change of the bytes can never be mistaken for this one. */
export const LEAF_FORMAT = 'serial-ledger.event.v1'

/**
 * An event's canonical bytes, the leaf of the Merkle tree: every header field, its lines' hash (which
 * covers every unit and quantity line) and its chain links, as a JSON array in a fixed order.
 */
export function eventLeaf(e: StoredEvent): string {
  return JSON.stringify([LEAF_FORMAT, ...eventHeaderFields(e), e.hash])
}

/** The leaf hash of an event: leaf index seq − 1 in the tree. */
export const eventLeafHash = (e: StoredEvent): Hash => leafHash(eventLeaf(e))
