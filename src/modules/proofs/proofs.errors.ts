import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of checkpoints, proofs and evidence packs. */
export const PROOF_ERRORS = defineErrors({
  'proof.key_missing': 'unavailable',
  'proof.key_insecure': 'internal',
  'proof.key_invalid': 'invalid',
  'proof.no_checkpoint': 'not_found',
  'proof.out_of_range': 'invalid',
  'proof.pack_invalid': 'invalid',
  'proof.checkpoint_invalid': 'invalid',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof PROOF_ERRORS> {}
}
