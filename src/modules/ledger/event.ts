// The event's types and hashing rules live in the pure event.rules.ts (the offline proof verifier uses them).
export * from './event.rules.js'
