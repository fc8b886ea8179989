import { z } from 'zod'
import { LedgerEvent } from '../ledger/ledger.schemas.js'
import { CHECKPOINT_FORMAT } from './checkpoint.rules.js'

/*
 * Checkpoints, proofs and evidence packs, as the API answers them, the CLI writes them and the offline
 * verifier reads them. Hashes are lowercase hex SHA-256.
 */

export const PACK_FORMAT = 'serial-ledger.evidence-pack.v1'

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (SHA-256)')
const size = z.number().int().min(0)

/** A signed tree head. */
export const CheckpointSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT),
    treeSize: size.describe('number of ledger events the tree covers (events 1…treeSize)'),
    rootHash: hash.describe('RFC 9162 Merkle tree root over those events'),
    issuedAt: z.iso.datetime().describe('when the checkpoint was signed'),
    keyId: z
      .string()
      .regex(/^[0-9a-f]{16}$/)
      .describe('first 16 hex digits of SHA-256 of the public key (SPKI DER)'),
    signature: z.base64().describe('Ed25519 signature over the signed text (see docs/ledger-proofs.md)'),
  })
  .strict()
  .meta({ id: 'Checkpoint' })

/** An inclusion proof: the audit path of one event in the tree of a checkpoint. */
export const InclusionProof = z
  .object({
    seq: z.number().int().min(1).describe('the event'),
    leafIndex: size.describe("the event's place in the log − 1 (seq − 1 on the locked path)"),
    treeSize: size,
    leafHash: hash.describe('SHA-256(0x00 || the event canonical bytes)'),
    path: z.array(hash).describe('RFC 9162 PATH(leafIndex, D[treeSize]), leaf side first'),
    checkpoint: CheckpointSchema,
  })
  .meta({ id: 'InclusionProof' })
export type InclusionProof = z.infer<typeof InclusionProof>

/** A consistency proof: the tree of `fromSize` events is a prefix of the tree of `toSize` events. */
export const ConsistencyProof = z
  .object({
    fromSize: size,
    toSize: size,
    fromRoot: hash,
    toRoot: hash,
    proof: z.array(hash).describe('RFC 9162 PROOF(fromSize, D[toSize])'),
    from: CheckpointSchema.optional().describe('the latest checkpoint of fromSize events, if one was made'),
    to: CheckpointSchema.optional().describe('the latest checkpoint of toSize events, if one was made'),
  })
  .meta({ id: 'ConsistencyProof' })
export type ConsistencyProof = z.infer<typeof ConsistencyProof>

const UnitLineSchema = z
  .object({
    lineNo: z.number().int().min(1).optional(),
    unitId: z.string(),
    skuId: z.string(),
    serial: z.string(),
    lotId: z.string().nullable(),
    costMinor: z.number().nullable(),
    priceMinor: z.number().nullable(),
    attributes: z.string().nullable(),
  })
  .strict()

const QuantityLineSchema = z
  .object({
    skuId: z.string(),
    lotId: z.string().nullable(),
    locationId: z.string(),
    delta: z.number(),
    costMinor: z.number().nullable(),
    priceMinor: z.number().nullable(),
  })
  .strict()

/** One event of the unit in a pack: the event, the unit's own lines, all lines if few, its audit path. */
export const PackEvent = z
  .object({
    event: LedgerEvent,
    unitLines: z.array(UnitLineSchema).describe("the lines of this event that name the pack's unit"),
    lines: z
      .object({ units: z.array(UnitLineSchema), quantities: z.array(QuantityLineSchema) })
      .strict()
      .optional()
      .describe('every line of the event, so its lines hash can be recomputed (left out above the pack limit)'),
    leafIndex: size,
    path: z.array(hash),
  })
  .strict()

/** One unit's evidence: every event of the unit with inclusion proofs against one signed checkpoint. */
export const EvidencePack = z
  .object({
    format: z.literal(PACK_FORMAT),
    subject: z.object({ serial: z.string(), sku: z.string(), unitId: z.string() }).strict(),
    exportedAt: z.iso.datetime(),
    checkpoint: CheckpointSchema,
    events: z.array(PackEvent).min(1),
  })
  .strict()
  .meta({ id: 'EvidencePack' })
export type EvidencePack = z.infer<typeof EvidencePack>
export type PackEvent = z.infer<typeof PackEvent>

export const InclusionQuery = z
  .object({
    seq: z.coerce.number().int().min(1).describe('the event to prove'),
    treeSize: z.coerce.number().int().min(1).optional().describe('a checkpoint size; the latest checkpoint by default'),
  })
  .strict()

export const ConsistencyQuery = z
  .object({
    from: z.coerce.number().int().min(0).describe('the earlier tree size'),
    to: z.coerce.number().int().min(0).optional().describe('the later tree size; the latest checkpoint by default'),
  })
  .strict()
