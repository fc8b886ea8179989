import { z } from 'zod'
import { AppError } from '../../core/errors.js'
import { moduleRoutes } from '../../http/context.js'
import { LimitQuery } from '../../http/route-schemas.js'
import { listCheckpoints } from './checkpoints.repository.js'
import { makeCheckpoint, type ProofSettings } from './checkpoints.service.js'
import { exportUnitPack } from './pack.service.js'
import {
  CheckpointSchema,
  ConsistencyProof,
  ConsistencyQuery,
  EvidencePack,
  InclusionProof,
  InclusionQuery,
} from './proofs.schemas.js'
import { getCheckpoint, proveConsistency, proveInclusion } from './proofs.service.js'
import { publicKeyPem, readSigningKey } from './signing.js'

const settingsOf = (proofs: ProofSettings | undefined): ProofSettings => {
  if (!proofs) throw new AppError('proof.key_missing', 'this server has no signing key configured')
  return proofs
}

/** Signed checkpoints of the ledger, inclusion and consistency proofs, and one unit's evidence pack. */
export const proofRoutes = moduleRoutes('proofs', (app, { ctx, db, routeOf }) => {
  app.get(
    '/proofs/checkpoints',
    routeOf('ledger.audit', 'Signed checkpoints (tree heads), oldest first, the latest `limit`', {
      querystring: LimitQuery,
      response: { 200: z.array(CheckpointSchema) },
    }),
    async (req) => listCheckpoints(db, req.query.limit),
  )
  app.get(
    '/proofs/checkpoints/latest',
    routeOf('ledger.audit', 'The latest signed checkpoint', { response: { 200: CheckpointSchema } }),
    async () => getCheckpoint(db),
  )
  app.post(
    '/proofs/checkpoints',
    routeOf('ledger.audit', 'Make and sign a checkpoint now (also written to the witness)', {
      response: { 201: CheckpointSchema },
    }),
    async (_req, reply) => {
      const made = await makeCheckpoint(ctx, settingsOf(ctx.proofs))
      return reply.code(201).send(made!.checkpoint)
    },
  )
  app.get(
    '/proofs/public-key',
    routeOf('ledger.audit', 'The public key checkpoints are signed with (PEM), to verify them and evidence packs', {
      response: { 200: z.object({ keyId: z.string(), pem: z.string() }).meta({ id: 'PublicKey' }) },
    }),
    async () => {
      const key = readSigningKey(settingsOf(ctx.proofs).signingKeyFile)
      return { keyId: key.keyId, pem: publicKeyPem(key) }
    },
  )
  app.get(
    '/proofs/inclusion',
    routeOf('ledger.audit', 'Inclusion proof of one event in a checkpoint (the latest by default)', {
      querystring: InclusionQuery,
      response: { 200: InclusionProof },
    }),
    async (req) => proveInclusion(ctx.db, req.query.seq, req.query.treeSize),
  )
  app.get(
    '/proofs/consistency',
    routeOf('ledger.audit', 'Consistency proof between two tree sizes (to the latest checkpoint by default)', {
      querystring: ConsistencyQuery,
      response: { 200: ConsistencyProof },
    }),
    async (req) => proveConsistency(ctx.db, req.query.from, req.query.to),
  )
  app.get(
    '/proofs/units/:serial/pack',
    routeOf(
      'ledger.audit',
      "One unit's evidence pack: its events with inclusion proofs against the latest checkpoint",
      {
        params: z.object({ serial: z.string().min(1).max(200) }),
        querystring: z.object({ sku: z.string().min(1).max(64).optional() }).strict(),
        response: { 200: EvidencePack },
      },
    ),
    async (req) => exportUnitPack(ctx.db, req.params.serial, req.query.sku, ctx.clock.now()),
  )
})
