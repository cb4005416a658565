import { sh } from '../processes'
import type { BareHost } from './host'

export interface SmallDisk {
  mountpoint: string
  /** Fills the disk up with a file (as another program on the host would), leaving `leaveKb`. */
  fill(leaveKb?: number): Promise<void>
  /** Removes the filler: the space is back. */
  makeSpace(): Promise<void>
  freeKb(): Promise<number>
}

const FILLER = '.filler-by-the-test'

/**
 * A filesystem of its own under `mountpoint` inside the host, as an admin would give a mirror:
 * an ext4 image in the host's /var/tmp, loop-mounted in the host's own mount namespace (so it
 * goes, and its loop device with it, when the host stops).
 */
export async function mountSmallDisk(
  host: BareHost,
  mountpoint: string,
  sizeMb: number,
): Promise<SmallDisk> {
  const image = `/var/tmp/disk-${mountpoint.replace(/\//g, '_')}.img`
  await host.run(['truncate', '-s', `${sizeMb}M`, image])
  // mkfs from this machine (minbase has no e2fsprogs), on the host's file seen through /proc.
  await sh('mkfs.ext4', ['-q', '-F', '-m', '0', `/proc/${host.pid()}/root${image}`])
  await host.run(['mkdir', '-p', mountpoint])
  await host.run(['mount', '-o', 'loop', image, mountpoint])
  const freeKb = async (): Promise<number> =>
    Number((await host.run(['df', '-Pk', mountpoint])).split('\n')[1]?.split(/\s+/)[3])
  return {
    mountpoint,
    freeKb,
    async fill(leaveKb = 0) {
      // The sync writes meanwhile: fill in rounds until what is left is next to nothing.
      await host.run([
        'sh',
        '-c',
        'i=0; while [ $i -lt 20 ]; do i=$((i + 1)); ' +
          'free=$(df -Pk "$1" | awk "NR==2 { print \\$4 }"); size=$((free - $2)); ' +
          '[ "$size" -gt 16 ] || break; ' +
          'fallocate -l "${size}K" "$1/$3.$i" 2>/dev/null || fallocate -l "$((size / 2))K" "$1/$3.$i" 2>/dev/null || true; ' +
          'done',
        'sh',
        mountpoint,
        String(leaveKb),
        FILLER,
      ])
    },
    async makeSpace() {
      await host.run(['sh', '-c', 'rm -f "$1/$2".*', 'sh', mountpoint, FILLER])
    },
  }
}
