/** Client IP as forwarded by the proxy in front of Next (or Next itself); first hop wins. */
export function clientIp(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',')[0]?.trim() || headers.get('x-real-ip') || 'unknown';
}
