import PDFDocument from 'pdfkit'
import type { ClaimPack } from './quality.schemas.js'

/**
 * A claim's evidence pack as a PDF for a person at the supplier: the claim, then per unit the delivery
 * it came in (their reference, date, lot, unit cost), its timeline with each event's hash and chain link,
 * its inspections, and whether signed-checkpoint inclusion proofs are attached (in the JSON pack).
 */
export function claimPdf(pack: ClaimPack): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `Claim ${pack.claim.number}` } })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  const { claim } = pack
  doc.fontSize(18).text(`Supplier claim ${claim.number}`)
  doc.moveDown(0.3).fontSize(10)
  doc.text(`Supplier: ${claim.supplier.name} (${claim.supplier.code})`)
  doc.text(`Status: ${claim.status}   Opened: ${claim.openedAt}`)
  if (claim.reference) doc.text(`Supplier case / RMA: ${claim.reference}`)
  if (claim.reason) doc.text(`Reason: ${claim.reason}`)
  if (claim.creditedAmount !== null) doc.text(`Credited: ${claim.creditedAmount} (credit note ${claim.creditNote})`)
  doc.text(`Units: ${pack.units.length}   Exported: ${pack.exportedAt}`)
  for (const u of pack.units) {
    doc.addPage().fontSize(14).text(`Unit ${u.sku} serial ${u.serial}`)
    doc.moveDown(0.3).fontSize(10)
    const r = u.receipt
    doc.text(`Delivered in receipt ${r.number} from ${r.supplierName} (${r.supplier}) on ${r.receivedAt}`)
    doc.text(`Supplier reference: ${r.supplierReference ?? '-'}   PO: ${r.purchaseOrder ?? '-'}   ASN: ${r.asn ?? '-'}`)
    doc.text(`Lot: ${r.lot ?? '-'}   Unit cost: ${r.unitCost ?? '-'}`)
    doc.moveDown(0.5).fontSize(12).text('Timeline (ledger events, hash and chain link)')
    doc.fontSize(8)
    for (const e of u.timeline) {
      const where = [e.location, e.document, e.reason].filter(Boolean).join(' · ')
      doc.text(`#${e.seq} ${e.occurredAt} ${e.type} by ${e.actor}${where ? ` · ${where}` : ''}`)
      doc.fillColor('#555').text(`   hash ${e.hash}  prev ${e.prevHash}`).fillColor('black')
    }
    doc.moveDown(0.5).fontSize(12).text('Inspections')
    doc.fontSize(9)
    if (u.inspections.length === 0) doc.text('none recorded')
    for (const i of u.inspections) {
      doc.text(
        `#${i.seq} ${i.at} ${i.stage}: ${i.result}${i.defectCodes.length ? ` (${i.defectCodes.join(', ')})` : ''}`,
      )
      if (i.notes) doc.text(`   ${i.notes}`)
      for (const a of i.attachments) doc.text(`   attachment ${a.name} sha256 ${a.sha256}`)
    }
    doc.moveDown(0.5).fontSize(12).text('Ledger proof')
    doc.fontSize(9)
    doc.text(
      u.proof
        ? 'Each event above is included in a signed checkpoint; the inclusion proofs are in the JSON pack ' +
            '(check each offline with "serial-ledger proof verify").'
        : `No inclusion proof: ${u.proofNote ?? 'no checkpoint'}. ` +
            'The hash chain above links each event to the previous.',
    )
  }
  doc.end()
  return done
}
