import { describeHttpResult, httpGetFromHost, type HttpResult } from '../remote/http-get'
import type { RemoteHost } from '../ssh/remote-host'

/**
 * An HTTP GET made on the worker host itself, not from the machine running the wizard: what
 * counts is whether the worker reaches the URL. No proxy: pip inside an OpenLambda sandbox has
 * none either.
 */
export type HttpProbe = HttpResult

export async function probeUrl(
  host: RemoteHost,
  url: string,
  timeoutSeconds = 10,
): Promise<HttpProbe> {
  const [result] = await httpGetFromHost(host, [url], { bodyLimit: 65536, timeoutSeconds })
  return result as HttpProbe
}

export const describeProbe = describeHttpResult
