import { describe, expect, it } from 'vitest';
import { compileOutbound, type OutboundRules } from '../src/outbound/policy';
import { OutboundEntryError, PRIVATE_NETWORKS, parseAllowEntry, parseNetwork } from '../src/outbound/rules';

const policy = (rules: Partial<OutboundRules> = {}) =>
  compileOutbound({ deny: [], allow: [], localAddresses: ['10.9.9.9'], ...rules });
const refused = (p: ReturnType<typeof policy>, address: string, port = 80) =>
  p.check(address, port)?.message ?? null;

describe('outbound policy: built-in refusals', () => {
  const defaults = policy();

  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '::1',
    '0.0.0.0',
    '0.1.2.3',
    '::',
    '169.254.169.254',
    '169.254.170.2',
    'fe80::1',
    'fd00:ec2::254',
    'fd20:ce::254',
    '100.100.100.200',
    '168.63.129.16',
    '192.0.0.192',
  ])('refuses %s (loopback, "this host", link-local or a cloud metadata address)', (address) => {
    expect(refused(defaults, address)).toMatch(
      /which checks may not reach by default; an admin can allow it under Settings → Outbound\.$/,
    );
  });

  it.each([
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:169.254.169.254', 'IPv4-mapped'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['64:ff9b::7f00:1', 'NAT64'],
    ['64:ff9b::a9fe:a9fe', 'NAT64'],
    ['64:ff9b::6464:64c8', 'NAT64 of 100.100.100.200'],
    ['64:ff9b:1:7f00:0:100::', 'NAT64 local-use, RFC 6052 /48 layout of 127.0.0.1'],
    ['2002:a9fe:a9fe::1', '6to4'],
    // Operators' prefixes 64:ff9b:1:abcd::/96, 64:ff9b:1:abcd::/64, 64:ff9b:1:ab00::/56 and 64:ff9b:1::/48:
    // the NAT64 local-use prefix is read under every RFC 6052 layout an operator may use inside it.
    ['64:ff9b:1:abcd::a9fe:a9fe', '/96 layout of 169.254.169.254'],
    ['64:ff9b:1:abcd:7f:0:100:0', '/64 layout of 127.0.0.1'],
    ['64:ff9b:1:aba9:fe:a9fe::', '/56 layout of 169.254.169.254'],
    ['64:ff9b:1:a9fe:a9:fe00::', '/48 layout of 169.254.169.254'],
  ])('refuses them in other forms: %s (%s)', (address) => {
    expect(refused(defaults, address)).not.toBeNull();
  });

  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    'fd12::1',
    '8.8.8.8',
    '2001:db8::1',
    '::ffff:10.1.2.3',
    '64:ff9b::808:808',
    // 8.8.8.8 in each NAT64 local-use layout: the zero suffix RFC 6052 asks for reads as 0.0.0.0/8 under a
    // longer layout, which a translator never forwards to, so it is no reason to refuse.
    '64:ff9b:1:808:8:800::',
    '64:ff9b:1:8:8:808::',
    '64:ff9b:1:0:8:808:800:0',
    '64:ff9b:1::808:808',
  ])('keeps private ranges and the internet reachable: %s', (address) => {
    expect(refused(defaults, address)).toBeNull();
  });

  it('names the rule and the host a name resolved from', () => {
    expect(defaults.check('169.254.169.254', 80, 'metadata.internal')?.message).toBe(
      '169.254.169.254 (resolved from metadata.internal) is in 169.254.169.254/32 (cloud metadata: AWS, Google, Azure, Oracle, DigitalOcean, OpenStack), which checks may not reach by default; an admin can allow it under Settings → Outbound.',
    );
  });
});

describe('outbound policy: allow entries and the admin deny list', () => {
  it('an address entry opens that address only', () => {
    const p = policy({ allow: ['127.0.0.1'] });
    expect(refused(p, '127.0.0.1')).toBeNull();
    expect(refused(p, '::ffff:127.0.0.1')).toBeNull();
    expect(refused(p, '127.0.0.2')).not.toBeNull();
    expect(refused(p, '::1')).not.toBeNull();
  });

  it('the most specific rule wins, so a wide allow entry leaves narrower refusals in place', () => {
    const p = policy({ allow: ['169.254.0.0/16', '0.0.0.0/0'] });
    expect(refused(p, '169.254.1.1')).toBeNull();
    expect(refused(p, '169.254.169.254')).toMatch(/cloud metadata/);
    expect(refused(p, '127.0.0.1')).toMatch(/loopback/);
    expect(refused(policy({ allow: ['169.254.169.254'] }), '169.254.169.254')).toBeNull();
  });

  it('an entry with a port opens only that port', () => {
    const p = policy({ allow: ['[::1]:8080', '127.0.0.1:9000'] });
    expect(refused(p, '::1', 8080)).toBeNull();
    expect(refused(p, '::1', 8081)).not.toBeNull();
    expect(refused(p, '127.0.0.1', 9000)).toBeNull();
    expect(refused(p, '127.0.0.1', 80)).not.toBeNull();
  });

  it('the private-networks preset refuses internal ranges, and an allow entry can still open one host', () => {
    const p = policy({ deny: [...PRIVATE_NETWORKS], allow: ['10.1.2.3'] });
    expect(refused(p, '10.9.8.7')).toBe(
      '10.9.8.7 is in 10.0.0.0/8, which an admin denied under Settings → Outbound.',
    );
    expect(refused(p, 'fd12::1')).toMatch(/fc00::\/7, which an admin denied/);
    expect(refused(p, '64:ff9b::c0a8:101')).toMatch(/192\.168\.0\.0\/16/);
    expect(refused(p, '10.1.2.3')).toBeNull();
    expect(refused(p, '8.8.8.8')).toBeNull();
  });

  it('an unreadable rule refuses everything (fail closed)', () => {
    const p = policy({ deny: ['10.0.0.0/33'] });
    expect(refused(p, '8.8.8.8')).toBe(
      'invalid outbound rule: "10.0.0.0/33" is not an IPv4 or IPv6 address or CIDR',
    );
  });
});

describe("outbound policy: Sextant's own ports", () => {
  const protectedPorts = [
    { port: 4000, name: 'API' },
    { port: 54329, name: 'embedded Postgres' },
  ];

  it('are refused on every local address, even with loopback allowed, unless an entry names address and port', () => {
    const p = policy({ allow: ['127.0.0.0/8', '::1', '10.9.9.9'], protectedPorts });
    expect(refused(p, '127.0.0.1', 54329)).toBe(
      "127.0.0.1:54329 is Sextant's own embedded Postgres port, which checks may not reach; an admin can allow exactly 127.0.0.1:54329 under Settings → Outbound.",
    );
    for (const [address, port] of [
      ['127.0.0.5', 4000],
      ['::1', 4000],
      ['0.0.0.0', 4000],
      ['::ffff:127.0.0.1', 4000],
      ['64:ff9b::7f00:1', 54329],
      ['10.9.9.9', 4000],
    ] as const)
      expect(refused(p, address, port), `${address}:${port}`).toMatch(/Sextant's own/);
    expect(refused(p, '127.0.0.1', 4001)).toBeNull();
    expect(refused(p, '10.9.9.8', 4000)).toBeNull(); // another machine's port 4000 is not ours
    const named = policy({ allow: ['127.0.0.0/8', '127.0.0.1:4000'], protectedPorts });
    expect(refused(named, '127.0.0.1', 4000)).toBeNull();
    expect(refused(named, '127.0.0.2', 4000)).not.toBeNull();
  });
});

describe('outbound entries', () => {
  it('parses addresses, CIDRs and addresses with ports', () => {
    expect(parseAllowEntry('127.0.0.1:4000').port).toBe(4000);
    expect(parseAllowEntry('[::1]:4000').port).toBe(4000);
    expect(parseAllowEntry('[fd00::/8]:443')).toMatchObject({ port: 443 });
    expect(parseAllowEntry('10.0.0.0/8:443')).toMatchObject({ port: 443 });
    expect(parseAllowEntry(' ::1 ').port).toBeNull();
    expect(parseNetwork('10.0.0.0/8')[1]).toBe(104); // IPv4 lives in ::ffff:0:0/96
  });

  it('rejects what it cannot read', () => {
    for (const bad of [
      '10.0.0.0/33',
      'nonsense',
      '10.0.0/8',
      '192.168/16',
      '0x7f.0.0.1',
      'fd00::/129',
      '10.0.0.0/8/8',
      'fe80::1%eth0',
    ])
      expect(() => parseNetwork(bad), bad).toThrow(OutboundEntryError);
    for (const bad of ['127.0.0.1:0', '127.0.0.1:70000', '[::1]:', 'host.example:80'])
      expect(() => parseAllowEntry(bad), bad).toThrow(OutboundEntryError);
  });
});
