import { describe, expect, it } from 'vitest'
import { displaySettingsOf } from './display-settings.js'

describe('display settings (the currency money is shown in)', () => {
  it("follows the server's locale setting when no currency is set", () => {
    expect(displaySettingsOf({ LANG: 'de_DE.UTF-8' })).toEqual({ currency: 'EUR', locale: 'de-DE' })
    expect(displaySettingsOf({ LANG: 'en_GB.UTF-8', LC_MONETARY: 'sv_SE.UTF-8' })).toEqual({
      currency: 'SEK',
      locale: 'sv-SE',
    })
    expect(displaySettingsOf({ LANG: 'C.UTF-8' })).toEqual({ currency: 'USD', locale: 'en-US' })
    expect(displaySettingsOf({})).toEqual({ currency: 'USD', locale: 'en-US' })
  })
  it('takes a configured currency and locale over the default', () => {
    expect(displaySettingsOf({ LANG: 'de_DE.UTF-8', SERIAL_LEDGER_CURRENCY: 'chf' })).toEqual({
      currency: 'CHF',
      locale: 'de-DE',
    })
    expect(displaySettingsOf({ SERIAL_LEDGER_LOCALE: 'fr-CA' })).toEqual({ currency: 'CAD', locale: 'fr-CA' })
  })
  it('refuses a currency or locale that is not one, naming the variable', () => {
    expect(() => displaySettingsOf({ SERIAL_LEDGER_CURRENCY: 'EURO' })).toThrow(/^SERIAL_LEDGER_CURRENCY must be/)
    expect(() => displaySettingsOf({ SERIAL_LEDGER_LOCALE: 'not a locale!' })).toThrow(/^SERIAL_LEDGER_LOCALE/)
  })
})
