import { sha256 } from '../../core/hash.js'

/*
 * The ledger's Merkle tree, exactly as RFC 9162 (Certificate Transparency 2.0) section 2.1 defines it:
 * leaves are hashed as SHA-256(0x00 || leaf), interior nodes as SHA-256(0x01 || left || right), and a
 * tree of n leaves splits at the largest power of two below n. Hashes are 32-byte Buffers here and hex
 * text at the edges (checkpoints, proofs, packs).
 */

export type Hash = Buffer

const LEAF = Buffer.from([0x00])
const NODE = Buffer.from([0x01])

/** The hash of one leaf (an event's canonical bytes). */
export const leafHash = (leaf: Uint8Array | string): Hash => sha256(LEAF, leaf)

/** The hash of an interior node. */
export const nodeHash = (left: Hash, right: Hash): Hash => sha256(NODE, left, right)

/** MTH({}): the root of the empty tree, SHA-256 of nothing. */
export const emptyRoot = (): Hash => sha256()

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** MTH(D[lo:hi]) over leaf hashes, recursively. */
function subtreeRoot(leaves: readonly Hash[], lo: number, hi: number): Hash {
  const n = hi - lo
  if (n === 0) return emptyRoot()
  if (n === 1) return leaves[lo]!
  const k = splitPoint(n)
  return nodeHash(subtreeRoot(leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi))
}

/** The root (MTH) of the tree over these leaf hashes. */
export const merkleRoot = (leaves: readonly Hash[]): Hash => subtreeRoot(leaves, 0, leaves.length)

/** PATH(m, D[n]): the audit path of leaf `index` in the tree over the first `size` leaf hashes. */
export function inclusionPath(leaves: readonly Hash[], index: number, size = leaves.length): Hash[] {
  if (!(index >= 0 && index < size && size <= leaves.length))
    throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`)
  const path: Hash[] = []
  const walk = (m: number, lo: number, hi: number): void => {
    const n = hi - lo
    if (n <= 1) return
    const k = splitPoint(n)
    if (m < k) {
      walk(m, lo, lo + k)
      path.push(subtreeRoot(leaves, lo + k, hi))
    } else {
      walk(m - k, lo + k, hi)
      path.push(subtreeRoot(leaves, lo, lo + k))
    }
  }
  walk(index, 0, size)
  return path
}

/** PROOF(m, D[n]): the consistency proof from the tree of `first` leaves to the tree of `second` leaves. */
export function consistencyProof(leaves: readonly Hash[], first: number, second = leaves.length): Hash[] {
  if (!(first >= 0 && first <= second && second <= leaves.length))
    throw new RangeError(`no consistency proof from ${first} to ${second} leaves`)
  if (first === 0 || first === second) return []
  const proof: Hash[] = []
  const sub = (m: number, lo: number, hi: number, isWhole: boolean): void => {
    const n = hi - lo
    if (m === n) {
      if (!isWhole) proof.push(subtreeRoot(leaves, lo, hi))
      return
    }
    const k = splitPoint(n)
    if (m <= k) {
      sub(m, lo, lo + k, isWhole)
      proof.push(subtreeRoot(leaves, lo + k, hi))
    } else {
      sub(m - k, lo + k, hi, false)
      proof.push(subtreeRoot(leaves, lo, lo + k))
    }
  }
  sub(first, 0, second, true)
  return proof
}

const isOdd = (x: number) => x % 2 === 1
const half = (x: number) => Math.floor(x / 2)

/** RFC 9162 2.1.3.2: does `path` prove that `leaf` is leaf `index` of the tree of `size` with `root`? */
export function verifyInclusion(index: number, size: number, leaf: Hash, path: readonly Hash[], root: Hash): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return false
  let fn = index
  let sn = size - 1
  let r = leaf
  for (const p of path) {
    if (sn === 0) return false
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r)
      if (!isOdd(fn))
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn)
          sn = half(sn)
        }
    } else r = nodeHash(r, p)
    fn = half(fn)
    sn = half(sn)
  }
  return sn === 0 && r.equals(root)
}

/**
 * RFC 9162 2.1.4.2: does `proof` show that the tree of `first` leaves with `firstRoot` is a prefix of the
 * tree of `second` leaves with `secondRoot` (nothing before `first` was changed, dropped or reordered)?
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Hash,
  secondRoot: Hash,
  proof: readonly Hash[],
): boolean {
  if (!(Number.isSafeInteger(first) && Number.isSafeInteger(second) && first >= 0 && first <= second)) return false
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot)
  // Every tree extends the empty one.
  if (first === 0) return proof.length === 0
  if (proof.length === 0) return false
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof]
  let fn = first - 1
  let sn = second - 1
  while (isOdd(fn)) {
    fn = half(fn)
    sn = half(sn)
  }
  let fr = path[0]!
  let sr = path[0]!
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      if (!isOdd(fn))
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn)
          sn = half(sn)
        }
    } else sr = nodeHash(sr, c)
    fn = half(fn)
    sn = half(sn)
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0

/**
 * The right edge of a tree: the roots of its perfect subtrees, largest (leftmost) first, one per set bit
 * of its size. Appending a leaf merges equal-sized subtrees, so the root of a growing log is kept up to
 * date in O(log n) per leaf and a checkpoint extends the previous one without re-hashing the world.
 */
export interface CompactRange {
  size: number
  hashes: Hash[]
}

export const emptyRange = (): CompactRange => ({ size: 0, hashes: [] })

/** The range with one more leaf (a new range; the given one is not changed). */
export function appendLeaf(range: CompactRange, leaf: Hash): CompactRange {
  const hashes = [...range.hashes]
  let h = leaf
  // Each trailing set bit of the old size is a subtree of the same height as the carry: merge them.
  for (let size = range.size; isOdd(size); size = half(size)) h = nodeHash(hashes.pop()!, h)
  hashes.push(h)
  return { size: range.size + 1, hashes }
}

/** Appends many leaves in place (the hot path of a checkpoint over many new events). */
export function appendLeaves(range: CompactRange, leaves: Iterable<Hash>): CompactRange {
  let { size } = range
  const hashes = [...range.hashes]
  for (let h of leaves) {
    for (let s = size; isOdd(s); s = half(s)) h = nodeHash(hashes.pop()!, h)
    hashes.push(h)
    size++
  }
  return { size, hashes }
}

/** The root of the tree a compact range describes (MTH of all its leaves). */
export function rangeRoot(range: CompactRange): Hash {
  if (range.hashes.length === 0) return emptyRoot()
  let r = range.hashes[range.hashes.length - 1]!
  for (let i = range.hashes.length - 2; i >= 0; i--) r = nodeHash(range.hashes[i]!, r)
  return r
}

/** How many subtree hashes a range of this size has (its set bits); a stored range is checked against it. */
export function rangeLength(size: number): number {
  let bits = 0
  for (let s = size; s > 0; s = half(s)) bits += s % 2
  return bits
}

export const toHex = (h: Hash): string => h.toString('hex')
export const fromHex = (hex: string): Hash => Buffer.from(hex, 'hex')
export const isHashHex = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s)
