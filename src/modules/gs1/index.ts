/*
 * GS1 barcodes as scanners send them: the pure parsing rules the web app uses on every scan and the
 * server will use for its own scan and EPCIS endpoints.
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
} from './scan.rules.js'
