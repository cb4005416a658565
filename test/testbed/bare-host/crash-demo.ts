/**
 * For bed.test.ts: a test run that dies without cleaning up. Starts the bed and one host,
 * prints "host started" and waits to be killed; the test then checks the sweep.
 */
import { startBareBed } from './bed'

const bed = await startBareBed()
await bed.startHost({ name: 'crash-demo', suite: 'trixie' })
console.log('host started')
setInterval(() => undefined, 60_000)
