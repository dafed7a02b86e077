/** Is a remote address a loopback one (127.0.0.0/8, ::1, or IPv4-mapped 127.x)? The control API answers only these. */
import { isIPv4 } from 'node:net';

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase().replace(/%.*$/, '');
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice('::ffff:'.length) : a;
  return isIPv4(v4) && v4.split('.')[0] === '127';
}
