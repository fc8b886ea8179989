export * from './sku.rules.js'
export * from './serial.rules.js'
export * from './plain-language.rules.js'
export * from './serial-range.rules.js'
export * from './catalog.schemas.js'
export * from './catalog.service.js'
export {
  findSkuByCode,
  findSkuByGtin,
  getSkuByCode,
  getSkusByIds,
  listSkus,
  SKU_JOINED_COLUMNS,
  skuOfJoined,
  toSku,
} from './sku.repository.js'
export * from './catalog.errors.js'
export * from './catalog.routes.js'
export { editableReferenceRoutes } from './reference-data.routes.js'
export * from './catalog-history.rules.js'
export { listChanges, recordChanges, type ChangeSubject } from './catalog-history.repository.js'
export { archive, removeReferenceData, updateSku } from './catalog-edit.service.js'
