import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import {
  NGINX_USER_SCRIPT,
  distributionNginxUser,
  parseNginxUser,
} from '../../../src-main/engine/permissions/nginx-user'

describe('parseNginxUser', () => {
  it('takes the running workers identity, groups included, from /proc', () => {
    const result = parseNginxUser(
      [
        'pid_file=/run/nginx.pid',
        'master_pid=812',
        'worker_uid=33',
        'worker_gid=33',
        'worker_groups=33 4 1001',
        'worker_name=www-data',
        'conf_user=nginx',
        'conf_group=',
        'ids_nginx=998 998 998',
        'ids_www-data=33 33 33',
      ].join('\n'),
    )
    expect(result).toEqual({
      running: true,
      masterPid: 812,
      pidFile: '/run/nginx.pid',
      userName: 'www-data',
      user: { name: 'www-data', uid: 33, gid: 33, gids: [33, 4, 1001], source: 'worker process' },
    })
  })

  it('falls back to the user directive, with its group as the primary group', () => {
    const result = parseNginxUser(
      [
        'pid_file=/run/nginx.pid',
        'master_pid=',
        'conf_user=web',
        'conf_group=mirror',
        'conf_group_gid=1500',
        'ids_web=990 990 990 27',
        'ids_www-data=33 33 33',
      ].join('\n'),
    )
    expect(result.running).toBe(false)
    expect(result.user).toEqual({
      name: 'web',
      uid: 990,
      gid: 1500,
      gids: [1500, 990, 27],
      source: 'nginx.conf',
    })
  })

  it('falls back to the distribution default, and says when that account does not exist', () => {
    const debian = parseNginxUser('os_id=debian\nids_www-data=33 33 33\n')
    expect(debian.user).toMatchObject({ name: 'www-data', uid: 33, source: 'distribution default' })
    const rocky = parseNginxUser('os_id=rocky\nos_like=rhel centos fedora\n')
    expect(rocky.userName).toBe('nginx')
    expect(rocky.user).toBeNull()
  })

  it('knows which distributions name the user nginx', () => {
    expect(distributionNginxUser('ubuntu', ['debian'])).toBe('www-data')
    expect(distributionNginxUser('almalinux', ['rhel'])).toBe('nginx')
    expect(distributionNginxUser('alpine', [])).toBe('nginx')
  })

  it('the script runs in a POSIX shell and prints what the parser reads', () => {
    const text = execFileSync('sh', ['-c', NGINX_USER_SCRIPT], { encoding: 'utf8' })
    expect(text).toMatch(/^pid_file=/m)
    expect(text).toMatch(/^master_pid=/m)
    expect(parseNginxUser(text).userName).not.toBe('')
  })
})
