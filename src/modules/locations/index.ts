export * from './locations.errors.js'
export * from './locations.schemas.js'
export * from './locations.service.js'
export * from './locations.routes.js'
