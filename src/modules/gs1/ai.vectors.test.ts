/*
 * GS1 Barcode Syntax Engine 1.4.1 test vectors (../shared/conformance/gs1/syntax-engine-1.4.1-vectors/, see
 * its README) run against our parser: element strings, bracketed input, AI combination rules, linters,
 * Digital Link parse/generate and escaping, scan data in and out. A vector is named by its `source` (the
 * C file and line it came from); every vector we skip is listed below with the reason.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  checkMutualExclusions,
  checkRequisites,
  parseBracketed,
  parseElementString,
  toElementString,
} from './ai.rules.js'
import { generateDigitalLinkUri, parseDigitalLinkUri, uriEscape, uriUnescape } from './digital-link.rules.js'
import { generateScanData, processScanData, type Symbology } from './scan-data.rules.js'
import { parseScan, validateAiCombination } from './scan.rules.js'

const DIR = join(import.meta.dirname, '../../../../shared/conformance/gs1/syntax-engine-1.4.1-vectors')
type Vector = Record<string, any> & { source: string }
const vectors = (file: string): Vector[] => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Vector[]

const lines = (file: string, list: string) => list.split(',').map((n) => `src/c-lib/${file}:${n}`)
const reasons: [string, string[]][] = [
  [
    'unknown AIs (89, 3338) under the permitUnknownAIs option: we refuse AIs GS1 does not define',
    [...lines('ai.c', '2054,2055,2056,2057,2058,2059,2078,2079,2080,2081'), ...lines('dl.c', '1721,1725,2161,2164')],
  ],
  [
    'validateDigSigRequiresSerialisedKey (AI 8030 digital signatures) is not implemented',
    lines('ai.c', '2142,2143,2144,2146,2147,2148,2150,2151,2152'),
  ],
  [
    "linter gcppos1 (GS1 Company Prefix positions) needs GS1's GCP length table, which we do not ship",
    lines('ai.c', '1518,1519'),
  ],
  ['linter importeridx (AI 7040) is not checked', lines('ai.c', '1521')],
  [
    'linters iso3166, iso3166999, iso3166alpha2, iso4217 need ISO code lists, which we do not ship',
    lines('ai.c', '1527,1528,1529,1530'),
  ],
  ['linter iban (AI 8007) is not checked', lines('ai.c', '1531,1532,1533,1534')],
  [
    'linters couponcode and couponposoffer (AIs 8110, 8112: North American coupons) are not checked',
    [
      ...lines('ai.c', '1558,1559,1560,1561,1562,1563,1564'),
      ...Array.from({ length: 1612 - 1566 + 1 }, (_, i) => `src/c-lib/ai.c:${1566 + i}`),
    ],
  ],
  ['linters latitude and longitude (AI 4309) are not checked', lines('ai.c', '1614,1615')],
  ['linter posinseqslash (AI 7258) is not checked', lines('ai.c', '1618,1619,1620')],
  [
    'convenience alphas (/gtin/, /ser/: deprecated Digital Link syntax) are not accepted',
    lines('dl.c', '1425,1426,1427,1428,1429'),
  ],
  [
    'composite symbols (data string with "|") and DataBar Omni/Limited, UPC-A/E symbologies are not generated',
    lines('scandata.c', '675,678,684,687,692,694,698,700,704,706,710,712,716,718,722,724'),
  ],
  ['the addCheckDigit option of generateScanData is not implemented', lines('scandata.c', '804')],
]
/** Skipped vectors by source, with their reason. */
const SKIPPED = new Map(reasons.flatMap(([reason, sources]) => sources.map((s) => [s, reason] as const)))

/** Runs each vector not skipped; `check` asserts it. */
function suite(file: string, name: (v: Vector) => string, check: (v: Vector) => void) {
  const all = vectors(file)
  const run = all.filter((v) => !SKIPPED.has(v.source))
  describe(`${file} (${run.length} of ${all.length} vectors)`, () => {
    for (const v of run) it(`${v.source}: ${name(v)}`, () => check(v))
  })
}

suite(
  'ai.processAIdata.json',
  (v) => JSON.stringify(v.input_element_string),
  (v) => {
    expect(parseElementString(v.input_element_string).ok).toBe(v.should_succeed)
  },
)

suite(
  'ai.parseAIdata.json',
  (v) => v.input_bracketed,
  (v) => {
    const r = parseBracketed(v.input_bracketed)
    expect(r.ok).toBe(v.should_succeed)
    if (r.ok) expect(toElementString(r.elements)).toBe(v.expected_element_string)
  },
)

suite(
  'ai.validateAIs.json',
  (v) => `${v.validation} ${v.input_bracketed}`,
  (v) => {
    const r = parseBracketed(v.input_bracketed)
    // Repeats are refused while parsing (an AI twice with different values); the others parse first.
    if (v.validation === 'validateAIrepeats') return expect(r.ok).toBe(v.should_succeed)
    if (!r.ok) throw new Error(r.message)
    const bad = v.validation === 'validateAImutex' ? checkMutualExclusions(r.elements) : checkRequisites(r.elements)
    expect(bad === undefined).toBe(v.should_succeed)
    // The same rules as every scan is validated (parseScan): req and ex together, the message naming the AIs.
    const scan = parseScan(v.input_bracketed)
    if (v.should_succeed) expect(scan.kind === 'gs1' || validateAiCombination(r).ok).toBe(true)
    else {
      expect(scan).toMatchObject({
        kind: 'invalid',
        message: expect.stringMatching(/^AI \(\d+\) (needs|cannot go with) \(/),
      })
    }
  },
)

suite(
  'ai.linter_table.json',
  (v) => `${v.input_bracketed} ${v.expected_linter_result}`,
  (v) => {
    expect(parseBracketed(v.input_bracketed).ok).toBe(v.expected_linter_result === 'GS1_LINTER_OK')
  },
)

suite(
  'dl.parseDLuri.json',
  (v) => v.input_dl_uri,
  (v) => {
    const opts = { permitZeroSuppressedGtin: v.context?.permitZeroSuppressedGTINinDLuris === true }
    const r = parseDigitalLinkUri(v.input_dl_uri, opts)
    expect(r.ok).toBe(v.should_succeed)
    if (r.ok) expect(toElementString(r.elements)).toBe(v.expected_element_string)
  },
)

suite(
  'dl.generateDLuri.json',
  (v) => v.input_bracketed,
  (v) => {
    const parsed = parseBracketed(v.input_bracketed)
    if (!parsed.ok) throw new Error(parsed.message)
    const r = generateDigitalLinkUri(parsed.elements, v.stem ?? undefined)
    expect(r.ok).toBe(v.should_succeed)
    if (r.ok) expect(r.uri).toBe(v.expected_dl_uri)
  },
)

suite(
  'dl.URIescape.json',
  (v) => JSON.stringify(v.input),
  (v) => {
    expect(uriEscape(v.input)).toBe(v.expected_as_path_component)
    expect(uriEscape(v.input, true)).toBe(v.expected_as_query_component)
  },
)

suite(
  'dl.URIunescape.json',
  (v) => JSON.stringify(v.input),
  (v) => {
    expect(uriUnescape(v.input)).toBe(v.expected_as_path_component)
    expect(uriUnescape(v.input, true)).toBe(v.expected_as_query_component)
  },
)

suite(
  'scandata.processScanData.json',
  (v) => JSON.stringify(v.input_scan_data),
  (v) => {
    const r = processScanData(v.input_scan_data)
    expect(r.ok).toBe(v.should_succeed)
    expect(r.ok ? r.symbology : 'NONE').toBe(v.expected_symbology)
    expect(r.ok ? r.dataString : '').toBe(v.expected_data_string)
  },
)

suite(
  'scandata.generateScanData.json',
  (v) => `${v.symbology} ${JSON.stringify(v.input_data_string)}`,
  (v) => {
    expect(generateScanData(v.symbology as Symbology, v.input_data_string) ?? null).toBe(v.expected_scan_data)
  },
)

describe('the skip list', () => {
  it('names only vectors that exist', () => {
    const files = ['ai.validateAIs.json', 'ai.linter_table.json', 'dl.parseDLuri.json', 'dl.generateDLuri.json']
    const sources = new Set(
      [...files, 'scandata.generateScanData.json'].flatMap((f) => vectors(f).map((v) => v.source)),
    )
    expect([...SKIPPED.keys()].filter((s) => !sources.has(s))).toEqual([])
  })
})
