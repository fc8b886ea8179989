import * as crypto from 'node:crypto'

// One-shot `crypto.hash` (Node ≥ 20.12) is about twice as fast as createHash for the small inputs of a
// Merkle tree; older runtimes fall back to createHash.
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash

/** SHA-256 of the concatenated parts: the one hash the ledger's proofs use (no I/O, deterministic). */
export function sha256(...parts: readonly (Uint8Array | string)[]): Buffer {
  if (!oneShot) {
    const h = crypto.createHash('sha256')
    for (const p of parts) h.update(p)
    return h.digest()
  }
  const bytes = parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))
  return oneShot('sha256', bytes.length === 1 ? bytes[0]! : Buffer.concat(bytes), 'buffer')
}

/** A SHA-256 fed piece by piece (a receipt's million lines), read once as hex. */
export interface IncrementalHash {
  update(data: Uint8Array | string): IncrementalHash
  digest(encoding: 'hex'): string
}

export const newSha256 = (): IncrementalHash => crypto.createHash('sha256')
