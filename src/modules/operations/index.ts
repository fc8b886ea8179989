export * from './operations.schemas.js'
export * from './operations.service.js'
