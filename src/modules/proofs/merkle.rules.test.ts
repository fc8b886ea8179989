import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  appendLeaf,
  appendLeaves,
  consistencyProof,
  emptyRange,
  emptyRoot,
  fromHex,
  type Hash,
  inclusionPath,
  leafHash,
  merkleRoot,
  nodeHash,
  rangeLength,
  rangeRoot,
  splitPoint,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from './merkle.rules.js'

// The Certificate Transparency reference leaves and tree heads (RFC 6962 / RFC 9162 test vectors).
const DATA = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (h) => Buffer.from(h, 'hex'),
)
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
]
const LEAVES = DATA.map((d) => leafHash(d))
const hexes = (hs: readonly Hash[]) => hs.map(toHex)

const INCLUSION = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
]

const CONSISTENCY = [
  { first: 1, second: 1, proof: [] },
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
]

describe('the Merkle tree (RFC 9162 section 2.1)', () => {
  it('hashes leaves with a 0x00 prefix and nodes with 0x01, as the RFC says', () => {
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest()
    expect(leafHash(DATA[3]!)).toEqual(sha(Buffer.from([0]), DATA[3]!))
    expect(nodeHash(LEAVES[0]!, LEAVES[1]!)).toEqual(sha(Buffer.from([1]), LEAVES[0]!, LEAVES[1]!))
  })

  it('gives the reference root for every size 0…8, the empty tree being SHA-256 of nothing', () => {
    expect(toHex(emptyRoot())).toBe(ROOTS[0])
    for (let n = 0; n <= 8; n++) expect(toHex(merkleRoot(LEAVES.slice(0, n))), `size ${n}`).toBe(ROOTS[n])
  })

  it('splits at the largest power of two below n, not at the middle', () => {
    expect([2, 3, 4, 5, 6, 7, 8, 9, 1000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 4, 4, 8, 512])
  })

  it('gives the reference audit paths, and each verifies', () => {
    for (const { index, size, path } of INCLUSION) {
      const tree = LEAVES.slice(0, size)
      expect(hexes(inclusionPath(tree, index)), `leaf ${index} of ${size}`).toEqual(path)
      expect(verifyInclusion(index, size, LEAVES[index]!, path.map(fromHex), fromHex(ROOTS[size]!))).toBe(true)
    }
  })

  it('gives the reference consistency proofs, and each verifies', () => {
    for (const { first, second, proof } of CONSISTENCY) {
      expect(hexes(consistencyProof(LEAVES.slice(0, second), first)), `${first} → ${second}`).toEqual(proof)
      const ok = verifyConsistency(first, second, fromHex(ROOTS[first]!), fromHex(ROOTS[second]!), proof.map(fromHex))
      expect(ok, `${first} → ${second}`).toBe(true)
    }
  })

  const many = Array.from({ length: 37 }, (_, i) => leafHash(Buffer.from([i, i * 7])))

  it('proves every leaf of every tree size up to 37, and refuses a wrong leaf, index, root or path', () => {
    for (let n = 1; n <= many.length; n++) {
      const tree = many.slice(0, n)
      const root = merkleRoot(tree)
      for (let i = 0; i < n; i++) {
        const path = inclusionPath(tree, i)
        expect(verifyInclusion(i, n, tree[i]!, path, root)).toBe(true)
        expect(verifyInclusion(i, n, leafHash('other'), path, root)).toBe(false)
        expect(verifyInclusion(i, n, tree[i]!, path, leafHash('another root'))).toBe(false)
        if (n > 1) expect(verifyInclusion((i + 1) % n, n, tree[i]!, path, root)).toBe(false)
        if (path.length > 0) {
          expect(verifyInclusion(i, n, tree[i]!, path.slice(0, -1), root)).toBe(false)
          expect(verifyInclusion(i, n, tree[i]!, [...path, root], root)).toBe(false)
          const bent = path.map((p, k) => (k === 0 ? leafHash('bent') : p))
          expect(verifyInclusion(i, n, tree[i]!, bent, root)).toBe(false)
        }
      }
    }
  })

  it('edge cases: a leaf past the tree, a negative index, an empty tree, a one-leaf tree', () => {
    const root = merkleRoot(LEAVES.slice(0, 1))
    expect(verifyInclusion(0, 1, LEAVES[0]!, [], root)).toBe(true)
    expect(verifyInclusion(1, 1, LEAVES[0]!, [], root)).toBe(false)
    expect(verifyInclusion(-1, 1, LEAVES[0]!, [], root)).toBe(false)
    expect(verifyInclusion(0, 0, LEAVES[0]!, [], emptyRoot())).toBe(false)
    expect(() => inclusionPath(LEAVES, 8)).toThrow(RangeError)
    expect(() => consistencyProof(LEAVES, 9)).toThrow(RangeError)
  })

  it('proves consistency between every pair of sizes up to 37, and refuses altered roots or proofs', () => {
    for (let n = 1; n <= many.length; n++)
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(many.slice(0, n), m)
        const [r1, r2] = [merkleRoot(many.slice(0, m)), merkleRoot(many.slice(0, n))]
        expect(verifyConsistency(m, n, r1, r2, proof), `${m} → ${n}`).toBe(true)
        if (m > 0 && m < n) {
          expect(verifyConsistency(m, n, leafHash('x'), r2, proof)).toBe(false)
          expect(verifyConsistency(m, n, r1, leafHash('x'), proof)).toBe(false)
          expect(verifyConsistency(m, n, r1, r2, proof.slice(1))).toBe(false)
          expect(verifyConsistency(m, n, r1, r2, [])).toBe(false)
          expect(verifyConsistency(m, n, r2, r1, proof)).toBe(false)
        }
      }
  })

  it('edge cases of consistency: equal sizes need equal roots and no proof; a later tree cannot shrink', () => {
    const r = merkleRoot(LEAVES)
    expect(verifyConsistency(8, 8, r, r, [])).toBe(true)
    expect(verifyConsistency(8, 8, r, merkleRoot(LEAVES.slice(0, 7)), [])).toBe(false)
    expect(verifyConsistency(8, 8, r, r, [r])).toBe(false)
    expect(verifyConsistency(8, 7, r, r, [])).toBe(false)
    expect(verifyConsistency(0, 8, emptyRoot(), r, [])).toBe(true)
  })

  it('a rewritten early leaf gives another root, and the old root is no prefix of the new tree', () => {
    const rewritten = [leafHash('forged'), ...many.slice(1)]
    const oldRoot = merkleRoot(many.slice(0, 10))
    expect(merkleRoot(rewritten.slice(0, 10)).equals(oldRoot)).toBe(false)
    const proof = consistencyProof(rewritten, 10)
    expect(verifyConsistency(10, 37, oldRoot, merkleRoot(rewritten), proof)).toBe(false)
  })
})

describe("the tree's right edge (compact range)", () => {
  it('gives the same root as the whole tree at every size, appended one by one or in batches', () => {
    let range = emptyRange()
    for (let n = 1; n <= many37().length; n++) {
      range = appendLeaf(range, many37()[n - 1]!)
      expect(range.hashes.length).toBe(rangeLength(n))
      expect(rangeRoot(range).equals(merkleRoot(many37().slice(0, n))), `size ${n}`).toBe(true)
    }
    const batched = appendLeaves(appendLeaves(emptyRange(), many37().slice(0, 13)), many37().slice(13))
    expect(batched).toEqual(range)
    expect(toHex(rangeRoot(appendLeaves(emptyRange(), LEAVES)))).toBe(ROOTS[8])
    expect(toHex(rangeRoot(emptyRange()))).toBe(ROOTS[0])
  })

  it('does not change the range it extends', () => {
    const a = appendLeaves(emptyRange(), LEAVES.slice(0, 3))
    const copy = { size: a.size, hashes: [...a.hashes] }
    appendLeaf(a, LEAVES[3]!)
    expect(a).toEqual(copy)
  })
})

function many37(): Hash[] {
  return Array.from({ length: 37 }, (_, i) => leafHash(Buffer.from([i, i * 7])))
}
