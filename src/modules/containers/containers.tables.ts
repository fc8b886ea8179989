/** A container (case, pallet): a projection of the `packed` and `unpacked` events. */
export interface ContainerTable {
  code: string
  /** `sscc` (an SSCC-18, check digit verified) or `own` (our own code). */
  kind: string
  /** The container it is nested in, or null. */
  parent_code: string | null
  created_seq: number
  last_event_seq: number
}

/**
 * Lot and quantity stock packed in a container: which part of the `stock` row at its location is packed.
 * Projected from the payloads of `packed`/`unpacked` and of the events that take a container whole.
 */
export interface ContainerQuantityTable {
  container_code: string
  sku_id: string
  /** '' when the stock has no lot (as in `stock`). */
  lot_key: string
  lot_id: string | null
  /** Where it is; null while in transit. */
  location_id: string | null
  /** The transfer it travels on while in transit, else null. */
  transfer_id: string | null
  quantity: number
  last_event_seq: number
}

export interface ContainerTables {
  container: ContainerTable
  container_quantity: ContainerQuantityTable
}
