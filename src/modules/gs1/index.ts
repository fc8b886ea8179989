/*
 * GS1 barcodes as scanners send them: the pure parsing rules the web app uses on every scan and the
 * server uses for lookups, every operation's `{scan}`, labels and EPCIS. The AI table is generated from
 * GS1's Barcode Syntax Dictionary (`ai-table.gen.rules.ts`, by `scripts/gen-gs1-ai-table.ts`).
 */
export {
  describeScan,
  gtin14,
  gtinOfCode,
  isImei,
  isLuhnValid,
  isValidGtin,
  lookupCodes,
  type ParsedScan,
  parseRawAis,
  parseScan,
  productGtinOf,
  unitOfScan,
} from './scan.rules.js'
export {
  type AiElement,
  aiDefinition,
  aiRecord,
  checkAiValue,
  gs1CheckDigit,
  hasGs1CheckDigit,
  parseBracketed,
  parseElementString,
  toBracketed,
  toElementString,
} from './ai.rules.js'
export { GS1_DL_STEM, generateDigitalLinkUri, parseDigitalLinkUri } from './digital-link.rules.js'
export { isEpcUrn, parseEpcUrn } from './epc.rules.js'
export { generateScanData, processScanData } from './scan-data.rules.js'
