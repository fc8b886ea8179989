import { createHash } from 'node:crypto'

/** SHA-256 of the concatenated parts: the one hash the ledger's proofs use (no I/O, deterministic). */
export function sha256(...parts: readonly (Uint8Array | string)[]): Buffer {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest()
}

/** A SHA-256 fed piece by piece (a receipt's million lines), read once as hex. */
export interface IncrementalHash {
  update(data: Uint8Array | string): IncrementalHash
  digest(encoding: 'hex'): string
}

export const newSha256 = (): IncrementalHash => createHash('sha256')
