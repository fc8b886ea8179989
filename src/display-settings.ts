/*
 * How the web shows money: the currency (ISO 4217) and the locale numbers are written in. Set with
 * SERIAL_LEDGER_CURRENCY and SERIAL_LEDGER_LOCALE; by default both follow the server's locale setting
 * (LC_ALL, LC_MONETARY, LANG: `de_DE.UTF-8` → de-DE and EUR). Pure apart from reading the variables given.
 */

export interface DisplaySettings {
  /** ISO 4217 code, e.g. EUR. */
  currency: string
  /** BCP 47 tag, e.g. de-DE. */
  locale: string
}

/** The currency of a region (ISO 3166 alpha-2), for the regions a store is likeliest in. */
const CURRENCY_OF_REGION: Record<string, string> = {
  US: 'USD',
  GB: 'GBP',
  IE: 'EUR',
  DE: 'EUR',
  AT: 'EUR',
  FR: 'EUR',
  BE: 'EUR',
  NL: 'EUR',
  LU: 'EUR',
  IT: 'EUR',
  ES: 'EUR',
  PT: 'EUR',
  FI: 'EUR',
  GR: 'EUR',
  SK: 'EUR',
  SI: 'EUR',
  EE: 'EUR',
  LV: 'EUR',
  LT: 'EUR',
  MT: 'EUR',
  CY: 'EUR',
  HR: 'EUR',
  CH: 'CHF',
  LI: 'CHF',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  IS: 'ISK',
  PL: 'PLN',
  CZ: 'CZK',
  HU: 'HUF',
  RO: 'RON',
  BG: 'BGN',
  UA: 'UAH',
  TR: 'TRY',
  IL: 'ILS',
  CA: 'CAD',
  MX: 'MXN',
  BR: 'BRL',
  AR: 'ARS',
  CL: 'CLP',
  CO: 'COP',
  PE: 'PEN',
  AU: 'AUD',
  NZ: 'NZD',
  JP: 'JPY',
  CN: 'CNY',
  HK: 'HKD',
  TW: 'TWD',
  KR: 'KRW',
  SG: 'SGD',
  MY: 'MYR',
  TH: 'THB',
  ID: 'IDR',
  PH: 'PHP',
  VN: 'VND',
  IN: 'INR',
  PK: 'PKR',
  AE: 'AED',
  SA: 'SAR',
  ZA: 'ZAR',
  NG: 'NGN',
  KE: 'KES',
  EG: 'EGP',
  MA: 'MAD',
}

const DEFAULT: DisplaySettings = { currency: 'USD', locale: 'en-US' }

/** `de_DE.UTF-8@euro` → `de-DE`; undefined for C, POSIX or nothing. */
function localeOfPosix(value: string | undefined): string | undefined {
  const tag = value?.split(/[.@]/)[0]?.replace('_', '-')
  if (!tag || tag === 'C' || tag === 'POSIX') return undefined
  try {
    return Intl.getCanonicalLocales(tag)[0]
  } catch {
    return undefined
  }
}

const isCurrency = (code: string) => {
  if (!/^[A-Z]{3}$/.test(code)) return false
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code })
    return true
  } catch {
    return false
  }
}

/** The display settings from the environment; throws naming a bad variable. */
export function displaySettingsOf(env: NodeJS.ProcessEnv = process.env): DisplaySettings {
  const posix = localeOfPosix(env.LC_ALL || env.LC_MONETARY || env.LANG)
  const given = env.SERIAL_LEDGER_LOCALE?.trim()
  let locale = posix ?? DEFAULT.locale
  if (given) {
    try {
      locale = Intl.getCanonicalLocales(given)[0]!
    } catch {
      throw new Error(`SERIAL_LEDGER_LOCALE must be a BCP 47 language tag such as de-DE (got ${JSON.stringify(given)})`)
    }
  }
  const currency = env.SERIAL_LEDGER_CURRENCY?.trim().toUpperCase()
  if (currency) {
    if (!isCurrency(currency))
      throw new Error(`SERIAL_LEDGER_CURRENCY must be an ISO 4217 code such as EUR (got ${JSON.stringify(currency)})`)
    return { currency, locale }
  }
  const region = new Intl.Locale(locale).maximize().region
  return { currency: (region && CURRENCY_OF_REGION[region]) || DEFAULT.currency, locale }
}
