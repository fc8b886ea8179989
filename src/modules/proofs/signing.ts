import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { AppError } from '../../core/errors.js'
import { CHECKPOINT_FORMAT, type Checkpoint, signedText, type TreeHead } from './checkpoint.rules.js'

/** The ledger's signing key: an Ed25519 private key in a PEM file outside the database. */
export interface SigningKey {
  privateKey: KeyObject
  publicKey: KeyObject
  keyId: string
}

/** First 16 hex digits of SHA-256 of the public key's SPKI DER bytes. */
export const keyIdOf = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16)

export const publicKeyPem = (key: SigningKey | KeyObject): string =>
  ('publicKey' in key ? key.publicKey : key).export({ type: 'spki', format: 'pem' }).toString()

/**
 * Creates the key file (mode 0600) unless it exists; returns whether it made one. The key never enters
 * the database: an insider with write access to the database still cannot sign a checkpoint.
 */
export function ensureSigningKey(file: string): boolean {
  if (existsSync(file)) return false
  mkdirSync(dirname(file), { recursive: true })
  const { privateKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  // 'wx' fails rather than overwrite a key another process just created.
  writeFileSync(file, pem, { mode: 0o600, flag: 'wx' })
  return true
}

/** Reads the key file; refuses a missing file, a non-Ed25519 key, or a file others may read. */
export function readSigningKey(file: string): SigningKey {
  if (!existsSync(file))
    throw new AppError(
      'proof.key_missing',
      `no signing key at ${file}: run "serial-ledger init" (or set SERIAL_LEDGER_SIGNING_KEY to the key file)`,
    )
  const mode = statSync(file).mode & 0o777
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new AppError(
      'proof.key_insecure',
      `signing key ${file} has mode 0${mode.toString(8)}: others may read it; run "chmod 600 ${file}"`,
    )
  const privateKey = createPrivateKey(readFileSync(file))
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new AppError('proof.key_invalid', `signing key ${file} is a ${privateKey.asymmetricKeyType} key, not Ed25519`)
  const publicKey = createPublicKey(privateKey)
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) }
}

/** A public key from PEM text (what `keys export-public` prints). */
export function parsePublicKey(pem: string, from = 'the public key'): KeyObject {
  let key: KeyObject
  try {
    key = createPublicKey(pem)
  } catch (e) {
    throw new AppError('proof.key_invalid', `${from} is not a PEM public key: ${(e as Error).message}`)
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new AppError('proof.key_invalid', `${from} is a ${key.asymmetricKeyType} key, not Ed25519`)
  return key
}

/** Signs a tree head. */
export function signTreeHead(head: TreeHead, key: SigningKey): Checkpoint {
  const signature = sign(null, Buffer.from(signedText(head)), key.privateKey).toString('base64')
  return { format: CHECKPOINT_FORMAT, ...head, keyId: key.keyId, signature }
}

/** Whether the checkpoint's signature is the given key's over its tree head. */
export function isSignedBy(c: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(signedText(c)), publicKey, Buffer.from(c.signature, 'base64'))
  } catch {
    return false
  }
}
