/*
 * The password rule on its own, apart from passwords.ts (argon2 and node:crypto), so the request
 * schemas stay pure and the web app can import them.
 */

/** Fewest characters a chosen password may have. */
export const MIN_PASSWORD_LENGTH = 12
