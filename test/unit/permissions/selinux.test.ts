import { describe, expect, it } from 'vitest'
import { parseSelinux, selinuxFindings } from '../../../src-main/engine/permissions/selinux'

describe('SELinux', () => {
  it('says nothing where SELinux does not exist or does not enforce', () => {
    expect(parseSelinux('')).toMatchObject({ present: false, mode: null })
    expect(selinuxFindings(parseSelinux(''), '/srv/pypi/web')).toEqual([])
    const permissive = parseSelinux(
      'mode=Permissive\ncontext=unconfined_u:object_r:user_home_t:s0\n',
    )
    expect(selinuxFindings(permissive, '/srv/pypi/web')).toEqual([])
  })

  it('reports a home-directory label under enforcing mode, with the restorecon and chcon fixes', () => {
    const check = parseSelinux(
      'mode=Enforcing\ncontext=unconfined_u:object_r:user_home_t:s0\nexample=/home/ops/mirror/web\nwrong=2040\n',
    )
    const [finding] = selinuxFindings(check, '/home/ops/mirror/web')
    expect(finding?.severity).toBe('blocker')
    expect(finding?.title).toContain('2040 entries')
    expect(finding?.evidence).toContain('user_home_t')
    expect(finding?.fix).toContain(
      "semanage fcontext -a -t httpd_sys_content_t '/home/ops/mirror/web(/.*)?'",
    )
    expect(finding?.fix).toContain('restorecon -R /home/ops/mirror/web')
    expect(finding?.fix).toContain('chcon -R -t httpd_sys_content_t /home/ops/mirror/web')
  })

  it('accepts a tree labelled for httpd', () => {
    const check = parseSelinux(
      'mode=Enforcing\ncontext=system_u:object_r:httpd_sys_content_t:s0\nwrong=0\n',
    )
    expect(selinuxFindings(check, '/srv/pypi/web')).toEqual([])
  })
})
