export * from './locations.schemas.js'
export * from './locations.service.js'
export * from './location-scope.js'
