/*
 * How a webhook delivery is signed, and how a receiver checks it (docs/integrations.md shows the same
 * check for a receiver written in plain Node).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** The header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-serial-ledger-signature'

/** The signature of a body sent at `timestamp` (unix seconds): HMAC-SHA256 over `"<timestamp>.<body>"`. */
export function signature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
}

/** The signature header's value for a body sent at `timestamp`. */
export const signatureHeader = (secret: string, timestamp: number, body: string): string =>
  `t=${timestamp},v1=${signature(secret, timestamp, body)}`

/**
 * What a receiver checks: the header parses, its timestamp is within `toleranceSeconds` of `now` (a
 * replayed old delivery is refused) and its v1 signature matches, compared in constant time.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]))
  const t = Number(parts.get('t'))
  const given = parts.get('v1') ?? ''
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false
  const expected = Buffer.from(signature(secret, t, body), 'hex')
  const actual = Buffer.from(given, 'hex')
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
