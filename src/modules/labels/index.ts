/*
 * Labels for units: GS1 DataMatrix (01)+(21) (+(10), (17)) or a Digital Link QR code with human-readable
 * text, as PDF (sheets, thermal labels, jewelry tags) or ZPL for Zebra-compatible printers.
 */
export * from './labels.errors.js'
export * from './labels.schemas.js'
export { LABEL_LAYOUTS, LABEL_LAYOUT_NAMES, labelContent, zplLabel } from './labels.rules.js'
export { labelUnits, writeLabels } from './labels.service.js'
export { labelRoutes } from './labels.routes.js'
