export * from './receiving.schemas.js'
export * from './receiving.service.js'
export * from './receive-units.js'
export * from './unit-sources.js'
