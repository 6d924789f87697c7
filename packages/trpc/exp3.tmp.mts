import postgres from 'postgres';
import { RE2JS } from 're2js';
const sql = postgres(process.env.URL!, { max: 2, onnotice: () => {} });
for (const body of ['.*a.{400}b.*c', '.*(?:a.{200}b|b.{200}a).*c', '(?:.*a.{150}b.*b.{150}a)*c', '.*a.{900}b.*c']) {
  const size = RE2JS.compile(body, RE2JS.DOTALL).programSize();
  const p = `^(?:${body})$`;
  const t0 = Date.now();
  try {
  const [r] = await sql.begin(async (tx) => { await tx`set local statement_timeout = 60000`; return tx`select count(*) from (select 1 from t where coalesce(labels->>'v','') ~ ${p} limit 501) x`; });
  console.log(body, size, r.count, Date.now() - t0, 'ms');
  } catch (e) { console.log(body, size, String(e), Date.now() - t0); }
}
await sql.end();
