import { describe, expect, it } from 'vitest'
import {
  createRedactor,
  REDACTED,
  redactDeep,
  secretsFromEnv,
} from '../../../src-main/app-data/redact'
import { quote } from '../../../src-main/engine/remote/quote'

describe('redact', () => {
  it('removes a secret everywhere, inside longer words too', () => {
    const redact = createRedactor(['hunter2'])
    expect(redact('password hunter2 and xhunter2x and hunter2hunter2')).toBe(
      `password ${REDACTED} and x${REDACTED}x and ${REDACTED}${REDACTED}`,
    )
    // a secret that is a plain word is removed where it appears, and nothing else is touched
    expect(createRedactor(['pass'])('passwd: the pass is ok')).toBe(
      `${REDACTED}wd: the ${REDACTED} is ok`,
    )
  })

  it('takes regular-expression characters literally', () => {
    const secret = 'a.b*c+(d)?[e]{2}^$|\\f/g-'
    const redact = createRedactor([secret])
    expect(redact(`x ${secret} y`)).toBe(`x ${REDACTED} y`)
    expect(redact('aXb*c+(d)?[e]{2}^$|\\f/g-')).toBe('aXb*c+(d)?[e]{2}^$|\\f/g-')
    expect(createRedactor(['.*'])('abc .* def')).toBe(`abc ${REDACTED} def`)
    expect(createRedactor(['$&'])('cost $& more')).toBe(`cost ${REDACTED} more`)
  })

  it('finds the JSON-escaped, double-escaped, shell-quoted and URL-encoded forms', () => {
    const secret = `Pa"ss\\wo'rd 1!/%`
    const redact = createRedactor([secret])
    const once = JSON.stringify({ password: secret })
    const twice = JSON.stringify({ event: once })
    for (const text of [
      once,
      twice,
      `sudo sh -c ${quote(secret)}`,
      `http://u:${encodeURIComponent(secret)}@proxy:3128/`,
    ]) {
      const out = redact(text)
      expect(out, text).toContain(REDACTED)
      expect(out, text).not.toContain(secret)
      expect(out, text).not.toContain(JSON.stringify(secret).slice(1, -1))
      expect(out, text).not.toContain(encodeURIComponent(secret))
      expect(out, text).not.toContain(`ss\\\\wo`)
    }
    expect(JSON.parse(redact(once))).toEqual({ password: REDACTED })
  })

  it('removes a multi-line secret whole, line by line, and with either line ending', () => {
    const key = '-----BEGIN KEY-----\nAAAAB3NzaC1yc2EAAAADAQAB\nQ29udGludWVk\n-----END KEY-----'
    const redact = createRedactor([key])
    expect(redact(`key:\n${key}\nend`)).toBe(`key:\n${REDACTED}\nend`)
    expect(redact(key.replace(/\n/g, '\r\n'))).toBe(REDACTED)
    // each line on its own, as a log that splits output into lines records it
    for (const line of key.split('\n')) expect(redact(`> ${line}`)).toBe(`> ${REDACTED}`)
    expect(redact(JSON.stringify(key))).toBe(`"${REDACTED}"`)
  })

  it('prefers the longest secret, so no piece of it is left behind', () => {
    const redact = createRedactor(['abc', 'abcdef'])
    expect(redact('xabcdefx abc')).toBe(`x${REDACTED}x ${REDACTED}`)
  })

  it('removes PIP_MIRROR_*_PASSWORD values it was not told about, in every notation', () => {
    const redact = createRedactor([])
    const cases: [string, string][] = [
      [
        'PIP_MIRROR_SUDO_PASSWORD=s3cret pip-mirror apply',
        `PIP_MIRROR_SUDO_PASSWORD=${REDACTED} pip-mirror apply`,
      ],
      ["export PIP_MIRROR_SSH_PASSWORD='a b c'", `export PIP_MIRROR_SSH_PASSWORD='${REDACTED}'`],
      ["PIP_MIRROR_SSH_PASSWORD='it'\\''s' next", `PIP_MIRROR_SSH_PASSWORD='${REDACTED}' next`],
      ['PIP_MIRROR_SSH_PASSWORD="x \\" y" z', `PIP_MIRROR_SSH_PASSWORD="${REDACTED}" z`],
      ['{"PIP_MIRROR_SUDO_PASSWORD": "q\\"w"}', `{"PIP_MIRROR_SUDO_PASSWORD": "${REDACTED}"}`],
      [
        '{"env":"{\\"PIP_MIRROR_SSH_PASSWORD\\":\\"zz\\"}"}',
        `{"env":"{\\"PIP_MIRROR_SSH_PASSWORD\\":\\"${REDACTED}\\"}"}`,
      ],
      ['PIP_MIRROR_KEY_PASSPHRASE: hello', `PIP_MIRROR_KEY_PASSPHRASE: ${REDACTED}`],
      ['pip_mirror_ssh_password=low', `pip_mirror_ssh_password=${REDACTED}`],
    ]
    for (const [input, output] of cases) expect(redact(input), input).toBe(output)
    expect(redact('PIP_MIRROR_SUDO_USER=ops')).toBe('PIP_MIRROR_SUDO_USER=ops')
  })

  it('is idempotent, and ignores blank secrets', () => {
    const redact = createRedactor(['RED', '', '   ', null, undefined])
    const once = redact('a RED b')
    expect(once).toBe(`a ${REDACTED} b`)
    expect(redact(once)).toBe(once)
    expect(createRedactor([' '])('a b c')).toBe('a b c')
  })

  it('goes through every string of a value', () => {
    const redact = createRedactor(['pw'])
    expect(redactDeep({ a: ['x pw', { b: 'pw' }], n: 3, t: true, z: null }, redact)).toEqual({
      a: [`x ${REDACTED}`, { b: REDACTED }],
      n: 3,
      t: true,
      z: null,
    })
  })

  it("knows the CLI's secret variables", () => {
    expect(
      secretsFromEnv({
        PIP_MIRROR_SSH_PASSWORD: 'a',
        PIP_MIRROR_SUDO_PASSWORD: 'b',
        PIP_MIRROR_KEY_PASSPHRASE: 'c',
        PIP_MIRROR_KNOWN_HOSTS: '/x',
        HOME: '/root',
      }).sort(),
    ).toEqual(['a', 'b', 'c'])
  })
})
