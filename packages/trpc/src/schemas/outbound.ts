import { z } from 'zod';
import { parseAllowEntry, parseNetwork } from '../outbound/rules';

const valid = (parse: (raw: string) => unknown) => (raw: string) => {
  try {
    parse(raw);
    return true;
  } catch {
    return false;
  }
};

export const outboundInput = z.object({
  deny: z
    .array(
      z
        .string()
        .trim()
        .max(100)
        .refine(valid(parseNetwork), 'Use an address or a CIDR, e.g. 10.0.0.0/8 or fd00::/8.'),
    )
    .max(200),
  allow: z
    .array(
      z
        .string()
        .trim()
        .max(100)
        .refine(
          valid(parseAllowEntry),
          'Use an address, a CIDR, or an address with a port, e.g. 127.0.0.1, 10.0.0.0/8, 127.0.0.1:8080, [::1]:8080.',
        ),
    )
    .max(200),
});

export type OutboundInput = z.infer<typeof outboundInput>;
