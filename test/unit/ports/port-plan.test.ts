import { describe, expect, it } from 'vitest'
import {
  parseNginxConfigListens,
  parsePortFacts,
  type PortFacts,
} from '../../../src-main/engine/ports/port-facts'
import { planPorts, type PortPlanInput } from '../../../src-main/engine/ports/port-plan'

const OWN = [
  '/etc/nginx/sites-enabled/pip-mirror-8080',
  '/etc/nginx/sites-available/pip-mirror-8080',
]

function facts(text: string): PortFacts {
  return parsePortFacts(text)
}

function plan(overrides: Partial<PortPlanInput> & { facts: PortFacts }) {
  return planPorts({
    nginx: { installed: false, running: false },
    listen: '10.0.0.5:8080',
    ownSiteFiles: OWN,
    ...overrides,
  })
}

const PYTHON_ON_80 = `--- listeners
listen 0.0.0.0 22 41 sshd
listen :: 22 41 sshd
listen 0.0.0.0 80 57 python3
--- default-site
enabled=no
stock=no
--- nginx-config
`

describe('the ports probe output', () => {
  it('reads listeners, the default site and nginx -T listens', () => {
    const parsed = facts(`--- listeners
listen 0.0.0.0 80 57 python3
listen 127.0.0.1 631 - -
--- default-site
enabled=yes
stock=yes
--- nginx-config
# configuration file /etc/nginx/nginx.conf:
http {
    include /etc/nginx/sites-enabled/*;
}
# configuration file /etc/nginx/sites-enabled/default:
server {
\tlisten 80 default_server;
\tlisten [::]:80 default_server;
\t# listen 443 ssl default_server;
}
# configuration file /etc/nginx/sites-enabled/shop:
server { listen 10.0.0.5:8081; server_name shop; }
`)
    expect(parsed.listeners).toEqual([
      { address: '0.0.0.0', port: 80, pid: 57, process: 'python3' },
      { address: '127.0.0.1', port: 631, pid: null, process: null },
    ])
    expect(parsed.defaultSite).toEqual({ enabled: true, stock: true })
    expect(parsed.nginxListens).toEqual([
      { file: '/etc/nginx/sites-enabled/default', address: null, port: 80, defaultServer: true },
      { file: '/etc/nginx/sites-enabled/default', address: null, port: 80, defaultServer: true },
      {
        file: '/etc/nginx/sites-enabled/shop',
        address: '10.0.0.5',
        port: 8081,
        defaultServer: false,
      },
    ])
  })

  it('reads every form of listen nginx accepts', () => {
    const listens = parseNginxConfigListens(
      '# configuration file /x:\nlisten 8080;\nlisten *:81;\nlisten 10.1.2.3;\nlisten unix:/run/x.sock;\n',
    )
    expect(listens.map((l) => [l.address, l.port])).toEqual([
      [null, 8080],
      [null, 81],
      ['10.1.2.3', 80],
    ])
  })
})

describe('planPorts', () => {
  it('blocks a site whose own port another program holds, naming port and process', () => {
    const result = plan({ facts: facts(PYTHON_ON_80), listen: '10.0.0.5:80' })
    expect(result.findings).toEqual([
      expect.objectContaining({
        severity: 'blocker',
        title: 'Port 80 on 10.0.0.5 is already taken by python3 (pid 57)',
        evidence: 'listening on 0.0.0.0:80',
      }),
    ])
    expect(result.disableDefaultSite).toBeNull()
  })

  it('keeps Debian default site disabled when nginx comes new and port 80 is taken', () => {
    const result = plan({ facts: facts(PYTHON_ON_80) })
    expect(result.disableDefaultSite).toBe('port 80 is taken by python3 (pid 57)')
    expect(result.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        title:
          "Port 80 is taken by python3 (pid 57): Debian's default nginx site cannot listen there",
      }),
    ])
    expect(result.findings[0]?.fix).toContain('keeps the default site disabled')
  })

  it('leaves everything alone on a host where port 80 is free', () => {
    const free = facts(
      '--- listeners\nlisten 0.0.0.0 22 41 sshd\n--- default-site\n--- nginx-config\n',
    )
    expect(plan({ facts: free })).toEqual({ findings: [], disableDefaultSite: null })
  })

  it('does not count the same program twice (nginx master and workers, IPv4 and IPv6)', () => {
    const shared = facts(
      '--- listeners\nlisten 0.0.0.0 8080 7 node\nlisten :: 8080 7 node\nlisten 0.0.0.0 8080 8 node\n',
    )
    expect(plan({ facts: shared }).findings[0]?.title).toBe(
      'Port 8080 on 10.0.0.5 is already taken by node (pid 7) and node (pid 8)',
    )
  })

  it('ignores a program on the same port at another address', () => {
    const elsewhere = facts('--- listeners\nlisten 127.0.0.1 8080 7 node\n')
    expect(plan({ facts: elsewhere }).findings).toEqual([])
  })

  const RUNNING_NGINX = `--- listeners
listen 0.0.0.0 80 90 nginx
listen 0.0.0.0 8081 90 nginx
--- default-site
enabled=yes
stock=yes
--- nginx-config
# configuration file /etc/nginx/sites-enabled/default:
server { listen 80 default_server; }
# configuration file /etc/nginx/sites-enabled/shop:
server { listen 8081; server_name shop; }
`

  it('blocks a port where nginx already serves another site; another port is fine', () => {
    const running = { installed: true, running: true }
    const onShop = plan({ facts: facts(RUNNING_NGINX), nginx: running, listen: '10.0.0.5:8081' })
    expect(onShop.findings).toEqual([
      expect.objectContaining({
        severity: 'blocker',
        title:
          'nginx already serves other sites on port 8081: a server for 10.0.0.5:8081 would answer their requests to 10.0.0.5',
        evidence: '/etc/nginx/sites-enabled/shop: listen *:8081',
      }),
    ])
    expect(plan({ facts: facts(RUNNING_NGINX), nginx: running }).findings).toEqual([])
    // Debian's untouched welcome page is only worth a note.
    const onDefault = plan({ facts: facts(RUNNING_NGINX), nginx: running, listen: '10.0.0.5:80' })
    expect(onDefault.findings.map((f) => f.severity)).toEqual(['info'])
  })

  it('says nothing once the mirror site is nginx configuration already (a second apply)', () => {
    const applied = facts(
      `${RUNNING_NGINX}# configuration file /etc/nginx/sites-enabled/pip-mirror-8081:\nserver { listen 10.0.0.5:8081; }\n`,
    )
    const again = plan({
      facts: applied,
      nginx: { installed: true, running: true },
      listen: '10.0.0.5:8081',
      ownSiteFiles: ['/etc/nginx/sites-enabled/pip-mirror-8081'],
    })
    expect(again.findings).toEqual([])
  })

  it('blocks a stopped nginx whose own sites cannot bind, unless it is the stock default', () => {
    const stopped = `--- listeners
listen 0.0.0.0 80 57 python3
--- default-site
enabled=yes
stock=no
--- nginx-config
# configuration file /etc/nginx/sites-enabled/default:
server { listen 80 default_server; }
`
    const installed = { installed: true, running: false }
    const changedDefault = plan({ facts: facts(stopped), nginx: installed })
    expect(changedDefault.disableDefaultSite).toBeNull()
    expect(changedDefault.findings).toEqual([
      expect.objectContaining({
        severity: 'blocker',
        title:
          'nginx cannot start: /etc/nginx/sites-enabled/default listens on port 80, which python3 (pid 57) holds',
      }),
    ])
    const stock = plan({ facts: facts(stopped.replace('stock=no', 'stock=yes')), nginx: installed })
    expect(stock.disableDefaultSite).not.toBeNull()
    expect(stock.findings.map((f) => f.severity)).toEqual(['warning'])
  })
})
