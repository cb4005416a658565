import { describe, expect, it } from 'vitest'
import { parseSshConfig } from '../../../src-main/app/ssh-config'

describe('parseSshConfig', () => {
  it('lists concrete hosts with what they set, first value winning, Host * applying to all', () => {
    const text = [
      '# my hosts',
      'Host mirror mirror-alias',
      '  HostName 10.0.0.5',
      '  User ops',
      '  Port 2222',
      '  IdentityFile ~/.ssh/id_mirror',
      '  IdentityFile ~/.ssh/id_second',
      '',
      'Host build',
      '  Hostname=build.example.org',
      '',
      'Host *',
      '  User fallback',
      '  Port 22',
    ].join('\n')
    expect(parseSshConfig(text)).toEqual([
      {
        alias: 'mirror',
        hostName: '10.0.0.5',
        user: 'ops',
        port: 2222,
        identityFile: '~/.ssh/id_mirror',
      },
      {
        alias: 'mirror-alias',
        hostName: '10.0.0.5',
        user: 'ops',
        port: 2222,
        identityFile: '~/.ssh/id_mirror',
      },
      {
        alias: 'build',
        hostName: 'build.example.org',
        user: 'fallback',
        port: 22,
        identityFile: null,
      },
    ])
  })

  it('skips patterns, negations and Match blocks; unnamed hosts keep their alias as host name', () => {
    const text = [
      'User early',
      'Host *.internal !secret.internal',
      '  Port 2200',
      'Match host plain',
      '  User matched',
      'Host plain',
      '  IdentityFile "/keys/with space"',
      'Host %weird',
      '  HostName %h.example',
    ].join('\n')
    expect(parseSshConfig(text)).toEqual([
      {
        alias: 'plain',
        hostName: 'plain',
        user: 'early',
        port: null,
        identityFile: '/keys/with space',
      },
      {
        alias: '%weird',
        hostName: '%weird.example',
        user: 'early',
        port: null,
        identityFile: null,
      },
    ])
  })

  it('ignores garbage, bad ports and an empty file', () => {
    expect(parseSshConfig('')).toEqual([])
    expect(parseSshConfig('Host a\n  Port banana\n!!!\n')).toEqual([
      { alias: 'a', hostName: 'a', user: null, port: null, identityFile: null },
    ])
  })
})
