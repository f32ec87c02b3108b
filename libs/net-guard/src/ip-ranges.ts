/**
 * Which IP addresses a server-side fetch may connect to. Pure functions over numeric addresses: IPv4 as a
 * uint32, IPv6 as a 128-bit bigint. IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4,
 * IPv4-compatible) are judged by the IPv4 address inside, so `::ffff:127.0.0.1` is loopback, not "public".
 */
import { isIPv4, isIPv6 } from 'node:net';

interface Ipv4Range {
  readonly base: number;
  readonly prefix: number;
  readonly name: string;
}

interface Ipv6Range {
  readonly base: bigint;
  readonly prefix: number;
  readonly name: string;
}

/** Checked in order, so the more specific name (broadcast) wins over the broader one (reserved). */
const BLOCKED_IPV4: readonly Ipv4Range[] = [
  ['0.0.0.0', 8, 'this-network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade-nat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'ietf-protocol-assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4-relay-anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
].map(([address, prefix, name]) => ({ base: parseIpv4(address as string), prefix: prefix as number, name: name as string }));

/** IPv6 ranges judged by their embedded IPv4 address (bits `shift`..`shift+31`). */
const IPV4_CARRYING_IPV6: readonly (Ipv6Range & { readonly shift: bigint })[] = [
  { base: parseIpv6('::ffff:0:0'), prefix: 96, name: 'ipv4-mapped', shift: 0n },
  { base: parseIpv6('64:ff9b::'), prefix: 96, name: 'nat64', shift: 0n },
  { base: parseIpv6('2002::'), prefix: 16, name: '6to4', shift: 80n },
];

const BLOCKED_IPV6: readonly Ipv6Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  // Deprecated IPv4-compatible form (::a.b.c.d); nothing public lives here.
  ['::', 96, 'ipv4-compatible'],
  ['64:ff9b:1::', 48, 'nat64-local'],
  ['100::', 64, 'discard'],
  ['2001::', 32, 'teredo'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
].map(([address, prefix, name]) => ({ base: parseIpv6(address as string), prefix: prefix as number, name: name as string }));

/** Only global unicast (2000::/3) is routable on the public internet; everything else is refused. */
const GLOBAL_UNICAST_IPV6: Ipv6Range = { base: parseIpv6('2000::'), prefix: 3, name: 'not-global-unicast' };

/**
 * The name of the blocked range `address` falls in (e.g. `loopback`, `ipv4-mapped loopback`), or `null` when
 * it is a public address. Anything that is not an IP literal is reported as `not-an-ip`.
 */
export function blockedRangeOf(address: string): string | null {
  const unzoned = address.replace(/%.*$/, '');
  if (isIPv4(unzoned)) return blockedIpv4Range(parseIpv4(unzoned));
  if (isIPv6(unzoned)) return blockedIpv6Range(parseIpv6(unzoned));
  return 'not-an-ip';
}

function blockedIpv4Range(value: number): string | null {
  for (const range of BLOCKED_IPV4) if (inIpv4Range(value, range)) return range.name;
  return null;
}

function blockedIpv6Range(value: bigint): string | null {
  for (const carrier of IPV4_CARRYING_IPV6) {
    if (inIpv6Range(value, carrier)) {
      const embedded = blockedIpv4Range(Number((value >> carrier.shift) & 0xffffffffn));
      return embedded === null ? null : `${carrier.name} ${embedded}`;
    }
  }
  for (const range of BLOCKED_IPV6) if (inIpv6Range(value, range)) return range.name;
  return inIpv6Range(value, GLOBAL_UNICAST_IPV6) ? null : GLOBAL_UNICAST_IPV6.name;
}

function inIpv4Range(value: number, range: Ipv4Range): boolean {
  const mask = range.prefix === 0 ? 0 : (0xffffffff << (32 - range.prefix)) >>> 0;
  return (value & mask) >>> 0 === (range.base & mask) >>> 0;
}

function inIpv6Range(value: bigint, range: Ipv6Range): boolean {
  const hostBits = BigInt(128 - range.prefix);
  return value >> hostBits === range.base >> hostBits;
}

/** Dotted-quad to uint32; the caller has checked the spelling with `isIPv4`. */
export function parseIpv4(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** Any valid IPv6 spelling (`::` compression, dotted IPv4 tail) to a 128-bit bigint. */
export function parseIpv6(address: string): bigint {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const groupsOf = (part: string | undefined): number[] =>
    part ? part.split(':').flatMap((group) => (group.includes('.') ? ipv4Groups(group) : [parseInt(group, 16)])) : [];
  const left = groupsOf(head);
  const right = groupsOf(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right].reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

function ipv4Groups(dotted: string): number[] {
  const value = parseIpv4(dotted);
  return [value >>> 16, value & 0xffff];
}
