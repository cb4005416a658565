import { createServer, connect, type Socket } from 'node:net'

export interface LatencyProxy {
  host: string
  port: number
  /** Round trips seen: each time the server answers after the client spoke. */
  roundTrips(): number
  /** New TCP connections opened through the proxy. */
  connections(): number
  reset(): void
  /** Cuts every open connection (as a network failure would) and keeps accepting new ones. */
  cut(): void
  stop(): Promise<void>
}

/**
 * A TCP relay that delays every chunk by half the wanted round-trip time in each direction.
 * It stands in for `tc netem`, which this machines' kernel does not have ("Specified qdisc kind
 * is unknown"); the delay it adds is real wall-clock delay on a real socket.
 */
export function startLatencyProxy(
  target: { host: string; port: number },
  rttMs: number,
): Promise<LatencyProxy> {
  const oneWay = rttMs / 2
  let roundTrips = 0
  let connections = 0
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    connections++
    let clientSpoke = false
    const upstream = connect(target.port, target.host)
    sockets.add(client)
    sockets.add(upstream)
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    const relay = (from: Socket, to: Socket, fromClient: boolean): void => {
      from.on('data', (chunk) => {
        if (fromClient) clientSpoke = true
        else if (clientSpoke) {
          roundTrips++
          clientSpoke = false
        }
        setTimeout(() => to.writable && to.write(chunk), oneWay)
      })
      from.on('end', () => setTimeout(() => to.end(), oneWay))
      from.on('error', () => to.destroy())
      from.on('close', () => sockets.delete(from))
    }
    relay(client, upstream, true)
    relay(upstream, client, false)
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      resolve({
        host: '127.0.0.1',
        port,
        roundTrips: () => roundTrips,
        connections: () => connections,
        reset: () => {
          roundTrips = 0
          connections = 0
        },
        cut: () => {
          for (const socket of sockets) socket.destroy()
        },
        stop: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          }),
      })
    })
  })
}
