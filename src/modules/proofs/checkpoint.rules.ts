/*
 * A checkpoint is a signed tree head (RFC 9162 section 4.10, in spirit): the size of the ledger's Merkle
 * tree, its root hash and the time, signed with the ledger's Ed25519 key. The signed bytes are the text
 * below, so anyone can check a checkpoint with the public key and a few lines of code.
 */

export const CHECKPOINT_FORMAT = 'serial-ledger.checkpoint.v1'

/** What a checkpoint states, before it is signed. */
export interface TreeHead {
  treeSize: number
  /** Hex SHA-256 Merkle root over the first `treeSize` events. */
  rootHash: string
  issuedAt: string
}

/** A signed tree head, as kept in the database, written to the witness and printed on evidence packs. */
export interface Checkpoint extends TreeHead {
  format: typeof CHECKPOINT_FORMAT
  /** First 16 hex digits of SHA-256 of the public key (SPKI DER): which key signed it. */
  keyId: string
  /** Base64 Ed25519 signature over `signedText(head)`. */
  signature: string
}

/** The exact bytes that are signed: one field per line, nothing left to interpretation. */
export const signedText = (h: TreeHead): string =>
  `${CHECKPOINT_FORMAT}\ntree_size ${h.treeSize}\nroot_hash ${h.rootHash}\nissued_at ${h.issuedAt}\n`

/** The file name of a checkpoint in a witness directory: sorts by tree size, then time. */
export const checkpointFileName = (c: TreeHead): string =>
  `checkpoint-${String(c.treeSize).padStart(12, '0')}-${c.issuedAt.replace(/[-:.]/g, '')}.json`
