/**
 * How to make nginx pick up a change: through systemd where it runs, else by signalling the
 * running master, else by starting nginx (containers and CI machines have no systemd).
 */
export function nginxReloadArgv(init: 'systemd' | 'other', running: boolean): string[] {
  if (init === 'systemd') return ['systemctl', running ? 'reload' : 'start', 'nginx']
  return running ? ['nginx', '-s', 'reload'] : ['nginx']
}

export const NGINX_TEST_ARGV: readonly string[] = ['nginx', '-t', '-q']
