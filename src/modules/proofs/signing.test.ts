import { generateKeyPairSync } from 'node:crypto'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkpointFileName, signedText } from './checkpoint.rules.js'
import {
  ensureSigningKey,
  isSignedBy,
  keyIdOf,
  parsePublicKey,
  publicKeyPem,
  readSigningKey,
  signTreeHead,
} from './signing.js'

const dir = mkdtempSync(join(tmpdir(), 'sl-keys-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const head = { treeSize: 42, rootHash: 'ab'.repeat(32), issuedAt: '2026-12-01T13:00:00.000Z' }

describe('the checkpoint signing key', () => {
  it('is made once, as an Ed25519 PEM file of mode 0600, and never overwritten', () => {
    const file = join(dir, 'nested', 'key.pem')
    expect(ensureSigningKey(file)).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const pem = readFileSync(file, 'utf8')
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(ensureSigningKey(file)).toBe(false)
    expect(readFileSync(file, 'utf8')).toBe(pem)
    expect(readSigningKey(file).keyId).toMatch(/^[0-9a-f]{16}$/)
  })

  it('refuses a missing file, a file others may read, and a key that is not Ed25519', () => {
    expect(() => readSigningKey(join(dir, 'none.pem'))).toThrow(
      /no signing key at .*none\.pem: run "serial-ledger init"/,
    )
    const open = join(dir, 'open.pem')
    ensureSigningKey(open)
    chmodSync(open, 0o644)
    expect(() => readSigningKey(open)).toThrow(/mode 0644: others may read it; run "chmod 600/)
    const rsa = join(dir, 'rsa.pem')
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    writeFileSync(rsa, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
    expect(() => readSigningKey(rsa)).toThrow(/is a rsa key, not Ed25519/)
    expect(() => parsePublicKey('not a key', 'key.pem')).toThrow(/key\.pem is not a PEM public key/)
  })
})

describe('a signed checkpoint', () => {
  const file = join(dir, 'sign.pem')
  ensureSigningKey(file)
  const key = readSigningKey(file)

  it('signs the tree head text, one field per line, and verifies with the exported public key only', () => {
    expect(signedText(head)).toBe(
      `serial-ledger.checkpoint.v1\ntree_size 42\nroot_hash ${'ab'.repeat(32)}\nissued_at 2026-12-01T13:00:00.000Z\n`,
    )
    const c = signTreeHead(head, key)
    expect(c).toMatchObject({ ...head, format: 'serial-ledger.checkpoint.v1', keyId: key.keyId })
    const exported = parsePublicKey(publicKeyPem(key))
    expect(keyIdOf(exported)).toBe(key.keyId)
    expect(isSignedBy(c, exported)).toBe(true)
  })

  it('does not verify once a field is changed, or with another key, or with a mangled signature', () => {
    const c = signTreeHead(head, key)
    expect(isSignedBy({ ...c, treeSize: 41 }, key.publicKey)).toBe(false)
    expect(isSignedBy({ ...c, rootHash: 'cd'.repeat(32) }, key.publicKey)).toBe(false)
    expect(isSignedBy({ ...c, issuedAt: '2026-12-01T13:00:01.000Z' }, key.publicKey)).toBe(false)
    expect(isSignedBy({ ...c, signature: 'AAAA' }, key.publicKey)).toBe(false)
    expect(isSignedBy(c, generateKeyPairSync('ed25519').publicKey)).toBe(false)
  })

  it('is named in a witness directory so files sort by size, then time', () => {
    expect(checkpointFileName(head)).toBe('checkpoint-000000000042-20261201T130000000Z.json')
  })
})
