import { describe, expect, it } from 'vitest'
import { parseFacts } from '../../../src-main/engine/remote/facts'
import { hostFindings } from '../../../src-main/engine/steps/preflight'
import { parseSite } from '#shared/site'
import { chooseBandersnatch } from '../../../src-main/engine/steps/bandersnatch-release'

/** Facts-probe output as each system prints it (the format of FACTS_SCRIPT). */
function probeOutput(os: {
  id: string
  version: string
  name: string
  like?: string
  pm: string
  python: string
}): string {
  return [
    'user=root',
    'uid=0',
    'hostname=h',
    `os_id=${os.id}`,
    `os_version=${os.version}`,
    `os_name=${os.name}`,
    `os_like=${os.like ?? ''}`,
    `package_manager=${os.pm}`,
    'init=systemd',
    'python=/usr/bin/python3',
    `python_version=${os.python}`,
    'python_venv=yes',
    'disk_path=/srv',
    'disk_total_kb=100000000',
    'disk_free_kb=50000000',
    'disk_mount=/',
    'nginx_path=',
    'nginx_running=no',
    'nginx_worker_user=',
    'nginx_conf_user=',
    'sudo=root',
    'ipv4=127.0.0.1 10.0.0.5 ',
  ].join('\n')
}

const site = parseSite({
  mirror: {
    ssh: { host: '10.0.0.5', user: 'root' },
    requirements: ['alpha'],
    serve: { listen: '10.0.0.5:8080' },
  },
})

describe('preflight decisions from the facts', () => {
  it('accepts Debian and Ubuntu', () => {
    for (const os of [
      { id: 'debian', version: '12', name: 'Debian GNU/Linux 12', pm: 'apt-get', python: '3.11.2' },
      {
        id: 'ubuntu',
        version: '22.04',
        name: 'Ubuntu 22.04',
        like: 'debian',
        pm: 'apt-get',
        python: '3.10.12',
      },
    ])
      expect(hostFindings(parseFacts(probeOutput(os)), site)).toEqual([])
  })

  it('refuses other systems, saying which and what to use instead', () => {
    const fedora = hostFindings(
      parseFacts(
        probeOutput({
          id: 'fedora',
          version: '40',
          name: 'Fedora Linux 40',
          pm: 'dnf',
          python: '3.12.3',
        }),
      ),
      site,
    )
    expect(fedora).toMatchObject([
      {
        severity: 'blocker',
        title: 'Unsupported operating system: Fedora Linux 40',
        fix: expect.stringContaining('Debian or Ubuntu'),
      },
    ])
    const alpine = hostFindings(
      parseFacts(
        probeOutput({
          id: 'alpine',
          version: '3.20',
          name: 'Alpine Linux v3.20',
          pm: 'apk',
          python: '3.12.3',
        }),
      ),
      site,
    )
    expect(alpine[0]?.severity).toBe('blocker')
  })

  it('refuses a Python no bandersnatch release runs on', () => {
    const old = hostFindings(
      parseFacts(
        probeOutput({
          id: 'debian',
          version: '10',
          name: 'Debian 10',
          pm: 'apt-get',
          python: '3.7.3',
        }),
      ),
      site,
    )
    expect(old).toMatchObject([
      { severity: 'blocker', title: expect.stringContaining('Python 3.7.3 is too old') },
    ])
  })

  it('picks the newest bandersnatch each Python runs and says why', () => {
    expect(chooseBandersnatch('3.12.1')?.version).toBe('8.2.0')
    expect(chooseBandersnatch('3.11.2')).toMatchObject({
      version: '6.8.0',
      reason: expect.stringContaining('8.2.0 needs Python 3.12'),
    })
    expect(chooseBandersnatch('3.10.12')?.version).toBe('6.5.0')
    expect(chooseBandersnatch('3.9.2')?.version).toBe('6.3.0')
    expect(chooseBandersnatch('3.7.3')).toBeNull()
  })
})
